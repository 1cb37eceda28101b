#!/bin/bash
# Agent loss: a `gantry server` with --agent-timeout 2 and a separate `gantry agent`. The agent
# is frozen with SIGSTOP while it runs jobs: after the timeout the server declares it lost and
# requeues its attempts (a started one as a deep retry, spending the lost-agent allowance; a job
# with no retries left and no allowance fails). When the agent is thawed (SIGCONT) its late
# reports are stale and ignored, the server orders it to kill what it wrote off, and no task has
# two attempts alive at once on it. Every journal stays gap-free with one terminal event.
# Last, the server is SIGKILLed while the agents run a job that ends before it is back: the
# restarted server records the real exit status in the single attempt.
source "$(dirname "$0")/../core/lib.sh"

make_test_dir
D="$TEST_DIR/server-home"
W="$TEST_DIR/work"
mkdir -p "$D" "$W/locks"
export GANTRY_HOME="$D"
cd "$W" || fail "cd $W"

"$GANTRY_BIN" server --home "$D" --agent-timeout 2 >"$TEST_DIR/server.log" 2>&1 &
SERVER_PID=$!
EXTRA_PIDS+=("$SERVER_PID")
wait_socket "$D/gantry.sock" || fail "server socket did not appear: $(cat "$TEST_DIR/server.log")"
for ((i = 0; i < 100; i++)); do [[ -s "$D/server.json" ]] && break; sleep 0.05; done
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$D/server.json") ||
  fail "no server.json"

AGENT_PID=""
start_agent() {
  "$GANTRY_BIN" agent --server "$TCP" --token-file "$D/token" --cores 4 --home "$TEST_DIR/agent-$1" \
    --name "$1" --kill-grace 1 >>"$TEST_DIR/agent.log" 2>&1 &
  AGENT_PID=$!
  EXTRA_PIDS+=("$AGENT_PID")
}
# seq_ok ID: gap-free journal ending in exactly one terminal event.
seq_ok() {
  g events --json "$1" | python3 -c '
import json, sys, collections
by = collections.defaultdict(list)
for e in json.load(sys.stdin): by[e["task_id"]].append(e)
for t, es in by.items():
    seqs = [e["seq"] for e in es]
    ends = [e for e in es if e["state"] in ("DONE", "FAILED", "CANCELLED")]
    if seqs != list(range(1, len(seqs) + 1)) or len(ends) != 1 or es[-1] is not ends[0]:
        print(t, seqs, [e["state"] for e in es]); sys.exit(1)'
}

# Each attempt holds its task's lock while alive; a second live attempt records DOUBLE.
cat >"$W/job.sh" <<'SCRIPT'
#!/bin/bash
exec 9>>"locks/$SLURM_JOB_ID"
flock -n 9 || echo "$SLURM_JOB_ID $GANTRY_ATTEMPT DOUBLE" >>marks
echo "$SLURM_JOB_ID $GANTRY_ATTEMPT S" >>marks
sleep "${NAP:-3}"
echo "$SLURM_JOB_ID $GANTRY_ATTEMPT E" >>marks
exit "${CODE:-0}"
SCRIPT
chmod +x "$W/job.sh"

log "--- one agent, frozen while it runs jobs, thawed after it was declared lost"
start_agent a1
A1=$AGENT_PID
long=$(NAP=12 submit -o /dev/null "$W/job.sh") || fail "submit long"
# the short job ends while its agent is frozen: 8 s leaves room for a loaded machine between
# its start and the SIGSTOP below (with 3 s it once ended, and was reported, before it)
short=$(NAP=8 CODE=3 submit -o /dev/null "$W/job.sh") || fail "submit short"
nolives=$(NAP=6 submit -o /dev/null --wrap 'sleep 6') || fail "submit"
wait_state "$long" RUNNING
wait_state "$nolives" RUNNING
for ((i = 0; i < 100; i++)); do grep -q "^$short 1 S" marks && break; sleep 0.1; done
expect_true "the short job runs too" grep -q "^$short 1 S" marks
kill -STOP "$A1"
log "agent a1 stopped"
# After 2 s of silence (checked once a second) the server writes a1's attempts off.
for ((i = 0; i < 100; i++)); do
  [[ "$(state_of "$long")" == READY ]] && break
  sleep 0.1
done
expect_eq "$(state_of "$long")" "READY" "a lost agent's running job is requeued"
expect_contains "$(json_get "$long" 't["reason"]')" "lost" "the reason says the agent was lost"
expect_eq "$(json_get "$long" 't["deep_retries"]')" "1" "as a deep retry (it had started)"
expect_contains "$(json_get "$long" 't["attempt_list"][0]["reason"]')" "lost" \
  "attempt 1 is ended with the reason"
# meanwhile the short job's attempt 1 has exited on the frozen agent: its report is late
for ((i = 0; i < 150; i++)); do grep -q "^$short 1 E" marks && break; sleep 0.1; done
expect_true "the short job's attempt 1 ended while its agent was frozen" grep -q "^$short 1 E" marks
kill -CONT "$A1"
log "agent a1 continued"
gwait "$long"
log "journal of $long:"$'\n'"$(g events "$long")"
expect_eq "$(state_of "$long")" "DONE" "the requeued job ends DONE on the thawed agent"
expect_eq "$(json_get "$long" 't["attempts"]')" "2" "after 2 attempts"
gwait "$short"
expect_eq "$(state_of "$short")" "FAILED" "the short job ends once"
expect_eq "$(json_get "$short" 't["attempts"]')" "2" "in attempt 2: attempt 1's late exit was stale"
expect_eq "$(json_get "$short" 't["exit_code"]')" "3" "with attempt 2's exit code"
expect_contains "$(json_get "$short" 't["attempt_list"][0]["reason"]')" "lost" \
  "attempt 1's late report did not overwrite its record"
gwait "$nolives"
expect_eq "$(state_of "$nolives")" "DONE" "the third job also ends"
grep -q DOUBLE marks && fail "two attempts of one task ran at once: $(grep DOUBLE marks)"
pass "no task had two attempts alive at once (no DOUBLE marker)"
# attempt 1 of the long job was killed when a1 came back (it never wrote its end marker)
expect_eq "$(grep -c "^$long 1 E" marks)" "0" "the written-off attempt was killed, not left to finish"
for j in "$long" "$short" "$nolives"; do
  out=$(seq_ok "$j") && pass "journal of $j gap-free with one end" || fail "journal of $j: $out"
done

log "--- retry policy: a job lost with no allowance left fails"
# --max-retries 0 + allowance 3: the 4th loss of a started attempt fails the job
lost4=$(NAP=30 submit -o /dev/null "$W/job.sh") || fail "submit"
for round in 1 2 3 4; do
  wait_state "$lost4" RUNNING 20
  kill -STOP "$A1"
  for ((i = 0; i < 100; i++)); do
    st=$(state_of "$lost4")
    [[ "$st" == READY || "$st" == FAILED ]] && break
    sleep 0.1
  done
  kill -CONT "$A1"
done
expect_eq "$(state_of "$lost4")" "FAILED" "after 4 losses (0 retries + 3 allowance) the job fails"
expect_contains "$(json_get "$lost4" 't["reason"]')" "lost" "with the reason"
out=$(seq_ok "$lost4") && pass "its journal is gap-free with one end" || fail "journal: $out"
sleep 2
grep -q DOUBLE marks && fail "two attempts of one task ran at once: $(grep DOUBLE marks)"
pass "still no DOUBLE marker"

log "--- two agents: the lost one's work moves to the other, its late reports stay stale"
start_agent a2
A2=$AGENT_PID
stop_pid "$A1"
m=$(NAP=4 CODE=0 submit -o /dev/null "$W/job.sh") || fail "submit"
wait_state "$m" RUNNING
start_agent a3
A3=$AGENT_PID
sleep 0.5
ran_on=$(json_get "$m" 't["attempt_list"][0]["agent"]')
[[ "$ran_on" == a2 ]] && victim=$A2 || victim=$A3
kill -STOP "$victim"
for ((i = 0; i < 100; i++)); do
  [[ "$(json_get "$m" 't["attempts"]')" == 2 ]] && break
  sleep 0.1
done
expect_eq "$(json_get "$m" 't["attempts"]')" "2" "the job got attempt 2 on the other agent"
expect_true "attempt 2 is not on the lost agent" \
  test "$(json_get "$m" 't["attempt_list"][1]["agent"]')" != "$ran_on"
sleep 3
kill -CONT "$victim"
gwait "$m"
expect_eq "$(state_of "$m")" "DONE" "it ends DONE once"
expect_eq "$(json_get "$m" 't["attempts"]')" "2" "with 2 attempts"
out=$(seq_ok "$m") && pass "journal gap-free with one end" || fail "journal: $out"
j=$(NAP=0 submit -o /dev/null "$W/job.sh") || fail "submit"
gwait "$j" && pass "the thawed agent and the other keep running new jobs" || fail "job $j: $(g status "$j")"

log "--- kill -9 of the server while the agents run jobs; a job ends while it is down"
PORT=${TCP##*:}
down=$(NAP=2 CODE=5 submit -o /dev/null "$W/job.sh") || fail "submit"
wait_state "$down" RUNNING
stop_pid "$SERVER_PID" KILL
sleep 3  # the job ends meanwhile; the agents keep its report and retry
rm -f "$D/gantry.sock"  # left behind by the SIGKILL
"$GANTRY_BIN" server --home "$D" --agent-timeout 2 --listen "127.0.0.1:$PORT" \
  >>"$TEST_DIR/server.log" 2>&1 &
SERVER_PID=$!
EXTRA_PIDS+=("$SERVER_PID")
wait_socket "$D/gantry.sock" || fail "restarted server socket did not appear"
for ((i = 0; i < 100; i++)); do g q >/dev/null 2>&1 && break; sleep 0.05; done
gwait "$down"
expect_eq "$(state_of "$down")" "FAILED" "the job that ended while the server was down is recorded"
expect_eq "$(json_get "$down" 't["exit_code"]')" "5" "with its real exit code"
expect_eq "$(json_get "$down" 't["attempts"]')" "1" "in its single attempt"
out=$(seq_ok "$down") && pass "journal gap-free with one end" || fail "journal: $out"
j=$(NAP=0 submit -o /dev/null "$W/job.sh") || fail "submit"
gwait "$j" && pass "the agents reconnected and run new jobs" || fail "job $j: $(g status "$j")"
finish
