#!/bin/bash
# `gantry server` and `gantry agent` as separate processes over TCP with the token: jobs run
# under the agent; without an agent a job stays READY and says why; a restarted agent picks
# it up; an agent with a wrong token is told so.
source "$(dirname "$0")/lib.sh"

make_test_dir
D="$TEST_DIR/server-home"
D2="$TEST_DIR/agent-home"
W="$TEST_DIR/work"
mkdir -p "$D" "$D2" "$W"
export GANTRY_HOME="$D"
cd "$W" || fail "cd $W"

log "--- start the server alone"
"$GANTRY_BIN" server --home "$D" --agent-timeout 3 >"$TEST_DIR/server.log" 2>&1 &
SERVER_PID=$!
EXTRA_PIDS+=("$SERVER_PID")
wait_socket "$D/gantry.sock" || fail "server socket did not appear: $(cat "$TEST_DIR/server.log")"
for ((i = 0; i < 100; i++)); do [[ -s "$D/server.json" ]] && break; sleep 0.05; done
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$D/server.json") ||
  fail "no server.json"
[[ "$TCP" == http://127.0.0.1:* ]] && pass "server.json names the TCP URL $TCP" || fail "tcp '$TCP'"

j0=$(submit --wrap 'echo early') || fail "submit before any agent"
sleep 0.3
expect_eq "$(state_of "$j0")" "READY" "without an agent the job stays READY"
expect_contains "$(json_get "$j0" 't["why"]')" "no agent" "why: no agent is connected"

AGENT_PID=""
start_agent() {
  "$GANTRY_BIN" agent --server "$TCP" --token-file "$D/token" --cores 2 --home "$D2" \
    --kill-grace 1 >>"$TEST_DIR/agent.log" 2>&1 &
  AGENT_PID=$!
  EXTRA_PIDS+=("$AGENT_PID")
}

log "--- an agent over TCP runs the jobs"
start_agent
gwait "$j0" || fail "job $j0 did not run: $(g status "$j0"); agent log: $(cat "$TEST_DIR/agent.log")"
expect_eq "$(cat "slurm-$j0.out")" "early" "the queued job ran once the agent came"
j1=$(submit --wrap 'echo "ppid=$PPID"') || fail "submit"
gwait "$j1" || fail "job $j1 failed: $(g status "$j1")"
expect_eq "$(cat "slurm-$j1.out")" "ppid=$AGENT_PID" "the job is a child of the agent process"
expect_eq "$(json_get "$j1" 't["attempt_list"][-1]["agent"]')" "local" "attempt ran on agent 'local'"
[[ -d "$D2" && -n "$(ls "$D2")" ]] && pass "the agent uses its own --home" || fail "agent home $D2 empty"

log "--- stop the agent"
stop_pid "$AGENT_PID"
stopped_at=$SECONDS
j2=$(submit --wrap 'echo late') || fail "submit without agent"
sleep 0.3
expect_eq "$(state_of "$j2")" "READY" "with the agent stopped the job stays READY"
# An agent stopped cleanly tells the server it is leaving.
why=$(json_get "$j2" 't["why"]')
if ((SECONDS - stopped_at < 2)); then
  expect_true "right after a clean agent stop, why says no agent (got: $why)" \
    eval '[[ "$why" == *"no agent"* ]]'
else
  unobserved "machine too slow to check 'why' before the agent timeout"
fi
# After --agent-timeout (3 s) the server must have noticed.
for ((i = 0; i < 100; i++)); do
  why=$(json_get "$j2" 't["why"]')
  [[ "$why" == *"no agent"* ]] && break
  sleep 0.1
done
expect_contains "$why" "no agent is connected" "after the agent timeout, why says no agent"
expect_contains "$(g status "$j2")" "Why not running: no agent" "status text too"

log "--- start the agent again"
start_agent
gwait "$j2" || fail "job $j2 did not run after the agent restart: $(g status "$j2")"
expect_eq "$(cat "slurm-$j2.out")" "late" "the waiting job ran on the restarted agent"

log "--- restart the server while the agent runs a job"
PORT=${TCP##*:}
rj=$(submit --wrap 'echo started; sleep 2; echo finished') || fail "submit"
wait_state "$rj" RUNNING
stop_pid "$SERVER_PID"
"$GANTRY_BIN" server --home "$D" --agent-timeout 3 --listen "127.0.0.1:$PORT" \
  >>"$TEST_DIR/server.log" 2>&1 &
SERVER_PID=$!
EXTRA_PIDS+=("$SERVER_PID")
wait_socket "$D/gantry.sock" || fail "restarted server socket did not appear"
gwait "$rj" || fail "job $rj across a server restart: $(g status "$rj")"
expect_eq "$(cat "slurm-$rj.out")" $'started\nfinished' "the job ran to its end across the restart"
expect_eq "$(json_get "$rj" 't["attempts"]')" "1" "in one attempt (the agent reported it)"
j4=$(submit --wrap 'echo after-restart') || fail "submit"
gwait "$j4" || fail "job after server restart failed: $(g status "$j4")"
expect_eq "$(cat "slurm-$j4.out")" "after-restart" "the agent reconnected and runs new jobs"

log "--- an agent with a wrong token"
stop_pid "$AGENT_PID"
echo "not-the-token" >"$TEST_DIR/badtoken"
"$GANTRY_BIN" agent --server "$TCP" --token-file "$TEST_DIR/badtoken" --home "$TEST_DIR/bad-agent" \
  >"$TEST_DIR/badagent.log" 2>&1 &
BAD_PID=$!
EXTRA_PIDS+=("$BAD_PID")
for ((i = 0; i < 100; i++)); do grep -q 401 "$TEST_DIR/badagent.log" && break; sleep 0.05; done
expect_contains "$(cat "$TEST_DIR/badagent.log")" "the token is malformed" "the agent reports the bad token"
j3=$(submit --wrap true) || fail "submit"
sleep 0.5
expect_eq "$(state_of "$j3")" "READY" "an unauthenticated agent gets no work"
stop_pid "$BAD_PID"
stop_pid "$SERVER_PID"
expect_true "the server stopped on SIGTERM and removed its socket" test ! -S "$D/gantry.sock"

finish
