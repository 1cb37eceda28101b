#!/bin/bash
# gantry wait and submit -W across a clean restart of gantry up: they say the server is away,
# reconnect and exit with the job's status; a server that stays away gives exit 75, never 1
# (which says the job failed). Regression for issue 11 item 8.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

# wait_for_text FILE TEXT: bounded wait (10 s) for TEXT to appear in FILE.
wait_for_text() {
  local i
  for ((i = 0; i < 200; i++)); do
    grep -qF "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "'$2' did not appear in $1 within 10 s: $(cat "$1" 2>/dev/null)"
}

log "--- wait and submit -W ride out a restart"
j=$(submit -H -o /dev/null --wrap 'exit 3') || fail "submit held job"
g wait "$j" >"$W/wait.out" 2>"$W/wait.err" &
wpid=$!
g submit -W -H -o /dev/null --wrap 'exit 4' >"$W/submit.out" 2>"$W/submit.err" &
spid=$!
wait_for_text "$W/submit.out" "Submitted batch job"
s=$(awk '{print $4}' "$W/submit.out")
stop_gantry TERM
wait_for_text "$W/wait.err" "the server is not answering"
wait_for_text "$W/submit.err" "the server is not answering"
expect_true "wait is still waiting while the server is away" kill -0 "$wpid"
restart_gantry
g release "$j" >/dev/null || fail "release $j"
g release "$s" >/dev/null || fail "release $s"
wait "$wpid"
expect_eq "$?" "3" "wait exits with the job's own status after the restart"
wait "$spid"
expect_eq "$?" "4" "submit -W exits with the job's own status after the restart"
expect_contains "$(cat "$W/wait.err")" "the server is back; still waiting for job $j" \
  "wait says it reconnected"
expect_contains "$(cat "$W/wait.out")" "$j FAILED" "wait prints the outcome"

log "--- a server that stays away: exit 75"
k=$(submit -H -o /dev/null --wrap true) || fail "submit held job"
g wait --reconnect-timeout 2 "$k" >/dev/null 2>"$W/gone.err" &
wpid=$!
stop_gantry TERM
wait "$wpid"
expect_eq "$?" "75" "wait gives up with 75 when the server stays away"
expect_contains "$(cat "$W/gone.err")" "did not answer within 2 s" "and says why"
expect_fail_with "not answering" g wait --reconnect-timeout 0 "$k"
g wait --reconnect-timeout 0 "$k" 2>/dev/null
expect_eq "$?" "75" "no server at all: 75 too"
expect_contains "$(g wait --help)" "exits 75" "--help documents the status"

finish
