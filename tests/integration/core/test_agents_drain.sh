#!/bin/bash
# gantry agents (issue 10 section 1): the server's own user lists its agents, drains one (it
# finishes the job it runs and is given no new work; status --why says so; the drain
# survives a restart) and resumes it (the waiting job then runs).
source "$(dirname "$0")/lib.sh"

start_gantry
W="$TEST_DIR/work"
mkdir -p "$W"
cd "$W" || fail "cd $W"

log "--- the list"
out=$(g agents) || fail "gantry agents failed: $out"
expect_contains "$out" "NAME" "gantry agents prints a header"
expect_contains "$out" "local" "it lists the local agent"
expect_eq "$(g agents --json | python3 -c 'import json,sys; a=json.load(sys.stdin)[0]; print(a["name"], a["total_cpus"], a["state"])')" \
  "local 2 idle" "--json gives name, cpus and state"

log "--- drain: the running job finishes, nothing new starts"
j1=$(submit -o /dev/null --wrap "echo up > $W/started; while [ ! -e $W/go ]; do sleep 0.05; done")
wait_file "$W/started"
wait_state "$j1" RUNNING
out=$(g agents drain local --reason "disk swap") || fail "drain failed: $out"
expect_contains "$out" "draining" "a drained agent with work runs it out"
j2=$(submit -o /dev/null --wrap true)
touch "$W/go"
expect_eq "$(gwait "$j1"; echo $?)" "0" "the running job ends DONE on the drained agent"
out=$(g agents)
expect_contains "$out" "drained" "then the agent is drained"
expect_contains "$out" "disk swap" "with its reason"
expect_eq "$(state_of "$j2")" "READY" "the new job waits"
expect_contains "$(g status "$j2")" "drained" "status says why it waits: the agents are drained"

log "--- the drain survives a restart"
stop_gantry
restart_gantry
for ((i = 0; i < 100; i++)); do g agents 2>/dev/null | grep -q local && break; sleep 0.1; done
expect_contains "$(g agents)" "drained" "after a restart the agent is still drained"
expect_eq "$(state_of "$j2")" "READY" "and the job still waits"

log "--- resume"
expect_contains "$(g agents resume local)" "idle" "resume"
expect_eq "$(gwait "$j2"; echo $?)" "0" "the waiting job runs once the agent is resumed"
expect_fail_with "is not drained" g agents resume local
expect_fail_with "no agent named" g agents drain nosuch
finish
