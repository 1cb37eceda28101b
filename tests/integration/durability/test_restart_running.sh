#!/bin/bash
# Regression (issue 10 section 2, issue 11 item 2): a start reached the server only with the
# job's end, so a job killed with `gantry up` (SIGKILL or a clean SIGTERM) was requeued as
# "it had not started": DeepRetries stayed 0 and a job restarted at every server restart ran
# forever. Now a started attempt lost with its server counts as a deep retry, and after
# --max-retries plus the allowance for lost attempts (3, docs/jobs.md) the job FAILS.
source "$(dirname "$0")/../core/lib.sh"

start_gantry
enter_work_dir

# The job notes each attempt's number and pid, then runs until killed.
cat >"$W/long.sh" <<'EOF2'
#!/bin/bash
echo "$$" >> pids
echo "$GANTRY_ATTEMPT" >> attempts
sleep 1000 &
echo "$!" >> pids
wait
EOF2

attempts_seen() { cat "$W/attempts" 2>/dev/null | wc -l; }

# wait_attempt N ID: the job has written attempt N's line, and the server shows it RUNNING.
wait_attempt() {
  local i
  for ((i = 0; i < 600; i++)); do
    (($(attempts_seen) >= $1)) && break
    sleep 0.05
  done
  (($(attempts_seen) >= $1)) || fail "attempt $1 did not start"
  wait_state "$2" RUNNING 1  # the start is reported at once, not with the end
  mapfile -t pids <"$W/pids"
  STRAY_PIDS+=("${pids[@]}")
}

log "--- SIGKILL of gantry up while a job runs: the attempt counts as started"
j=$(submit --max-retries=0 -o /dev/null "$W/long.sh")
wait_attempt 1 "$j"
stop_gantry KILL
restart_gantry
wait_attempt 2 "$j"
ev=$(g events "$j")
expect_contains "$ev" "requeued as a deep retry (it had started)" "the lost attempt is a deep retry"
expect_not_contains "$ev" "had not started" "it is not requeued as unstarted"
expect_eq "$(json_get "$j" 't["deep_retries"]')" "1" "deep_retries counts it"
g cancel -q "$j"
gwait "$j"
rm -f "$W/attempts" "$W/pids"

log "--- clean restarts (SIGTERM) during a running job spend its retries, then it fails"
max=1
allowed=$((max + 3))
r=$(submit --max-retries=$max -o /dev/null "$W/long.sh")
for ((n = 1; n <= allowed + 1; n++)); do
  wait_attempt "$n" "$r"
  stop_gantry TERM
  restart_gantry
done
wait_state "$r" FAILED 10
expect_eq "$(json_get "$r" 't["deep_retries"]')" "$allowed" "every lost attempt was counted deep"
expect_eq "$(json_get "$r" 't["attempts"]')" "$((allowed + 1))" "it ran $((allowed + 1)) times, no more"
expect_eq "$(attempts_seen)" "$((allowed + 1))" "the job itself saw $((allowed + 1)) attempts"
ev=$(g events "$r")
expect_eq "$(grep -c 'deep retry' <<<"$ev")" "$allowed" "the journal names each deep retry"
expect_not_contains "$ev" "had not started" "no attempt was taken for unstarted"
sleep 0.5  # a job requeued once more would have started by now
expect_eq "$(attempts_seen)" "$((allowed + 1))" "the failed job does not run again"

finish
