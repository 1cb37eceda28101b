#!/bin/bash
# Regression (issue 10 section 2): two agents with the same name (the default `local`) wrote
# off each other's attempts. Now the server gives each agent process an instance when it
# first polls; a second live agent with a taken name is refused with a clear error and
# exits, and the first one's job runs on undisturbed. A second agent on the same work dir
# is refused at start.
source "$(dirname "$0")/lib.sh"

make_test_dir
D="$TEST_DIR/server-home"
W="$TEST_DIR/work"
mkdir -p "$D" "$TEST_DIR/a1" "$TEST_DIR/a2" "$W"
export GANTRY_HOME="$D"
cd "$W" || fail "cd $W"

"$GANTRY_BIN" server --home "$D" >"$TEST_DIR/server.log" 2>&1 &
EXTRA_PIDS+=("$!")
wait_socket "$D/gantry.sock" || fail "server socket did not appear: $(cat "$TEST_DIR/server.log")"
for ((i = 0; i < 100; i++)); do [[ -s "$D/server.json" ]] && break; sleep 0.05; done
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$D/server.json") ||
  fail "no server.json"

agent() {  # agent HOME LOG: a gantry agent named `local` (the default) in the background
  "$GANTRY_BIN" agent --server "$TCP" --token-file "$D/token" --cores 2 --home "$1" \
    --kill-grace 1 >>"$2" 2>&1 &
  AGENT_PID=$!
  EXTRA_PIDS+=("$AGENT_PID")
}

agent "$TEST_DIR/a1" "$TEST_DIR/a1.log"
first=$AGENT_PID
j=$(submit -o /dev/null --wrap "echo up > $W/started; while [ ! -e $W/go ]; do sleep 0.05; done")
wait_file "$W/started"
wait_state "$j" RUNNING 5

log "--- a second agent with the same name is refused"
agent "$TEST_DIR/a2" "$TEST_DIR/a2.log"
second=$AGENT_PID
for ((i = 0; i < 200; i++)); do
  kill -0 "$second" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$second/stat" 2>/dev/null)" != Z ]] || break
  sleep 0.05
done
wait "$second"
rc=$?
((rc != 0)) && pass "the second agent exits with status $rc" || fail "the second agent exited 0"
expect_contains "$(cat "$TEST_DIR/a2.log")" "agent name 'local' is taken by a live agent" \
  "it says why"
expect_eq "$(state_of "$j")" "RUNNING" "the first agent's job is still RUNNING"
expect_not_contains "$(g events "$j")" "no longer knows" "its attempt was not written off"
kill -0 "$first" 2>/dev/null && pass "the first agent runs on" || fail "the first agent died"
touch "$W/go"
gwait "$j" || fail "job failed: $(g status "$j")"
expect_eq "$(json_get "$j" 't["attempts"]')" "1" "the job ran once"

log "--- a second agent on the same work dir is refused at start"
agent "$TEST_DIR/a1" "$TEST_DIR/a1b.log"
wait "$AGENT_PID"
rc=$?
((rc != 0)) && pass "it exits with status $rc" || fail "it exited 0"
expect_contains "$(cat "$TEST_DIR/a1b.log")" "another agent is running on work dir" "it says why"

log "--- once the first agent leaves, the name is free again"
stop_pid "$first"
agent "$TEST_DIR/a2" "$TEST_DIR/a2b.log"
j2=$(submit -o /dev/null --wrap true)
gwait "$j2" || fail "job on the new agent failed: $(g status "$j2"); $(cat "$TEST_DIR/a2b.log")"
pass "a new agent named local runs jobs after the first one left"

finish
