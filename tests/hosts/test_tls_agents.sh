#!/bin/bash
# A server on one host and agents on two others, over TCP+TLS: the server listens on its
# host's address with a certificate for it, each agent trusts the test's CA and holds a
# credential of its own (gantry token issue --scope gantry.agent), and the journal names it.
# Jobs run on the agents' hosts, where the server's files are not; a revoked credential ends
# its agent and leaves the other working.
source "$(dirname "$0")/../integration/core/lib.sh"
source "$(dirname "$0")/hosts.sh"

hosts_init
host_add srv
host_add n1
host_add n2
gantry_server_on srv
pass "the server on srv serves $SRV_URL"

log "--- two agents, each with its own credential"
gantry_agent_on n1
gantry_agent_on n2
N2_PID=$HOST_PID
wait_agents "n1@n1 n2@n2"
pass "both agents polled over TLS, from hosts named n1 and n2"

log "--- jobs run on the agents' hosts"
# -D and -o in /tmp: every host has a /tmp of its own (the submit dir exists only on srv).
# The agents share the submit host's files as far as they know (no --no-shared-fs, and /tmp
# exists everywhere), so the output stays where the job wrote it: on the agent's host.
for n in n1 n2; do
  j=$(on_srv "$GANTRY_BIN" submit --parsable -D /tmp -o "/tmp/job-%j.out" \
    --requirements "TARGET.Name == \"$n\"" --wrap 'echo "ran on $(hostname)"') ||
    fail "submit to $n"
  on_srv timeout 60 "$GANTRY_BIN" wait -q "$j" ||
    fail "job $j on $n did not succeed: $(tail -5 "$TEST_DIR/agent-$n.log")"
  expect_eq "$(host_exec "$n" cat "/tmp/job-$j.out")" "ran on $n" "job $j ran on host $n"
  expect_true "its output is on $n, not on srv" host_exec srv bash -c "! test -e /tmp/job-$j.out"
  who=$(on_srv "$GANTRY_BIN" events --json "$j" | python3 -c '
import json, sys
d = json.load(sys.stdin); evs = d["events"] if isinstance(d, dict) else d
print(" ".join(sorted({e["source"] + "=" + e.get("subject", "") for e in evs
                       if e["source"].startswith("agent:")})))')
  expect_eq "$who" "agent:$n=agent-$n" "the journal names agent $n and its own credential"
done
expect_true "the agent hosts cannot see the server's home or key" \
  host_exec n1 bash -c "! test -e '$SRV_HOME/server.json' && ! test -e '$(host_dir srv)/certs/server.key'"

log "--- a revoked credential ends its agent, the other goes on"
on_srv "$GANTRY_BIN" token revoke --subject agent-n2 >/dev/null || fail "token revoke"
for ((i = 0; i < 600; i++)); do kill -0 "$N2_PID" 2>/dev/null || break; sleep 0.1; done
expect_true "agent n2 exited" bash -c "! kill -0 $N2_PID 2>/dev/null"
expect_contains "$(cat "$TEST_DIR/agent-n2.log")" "revoked" "its log says its credential was revoked"
j=$(on_srv "$GANTRY_BIN" submit --parsable -D /tmp -o /tmp/after.out --wrap hostname) ||
  fail "submit after the revocation"
on_srv timeout 60 "$GANTRY_BIN" wait -q "$j" || fail "job $j did not run after the revocation"
expect_eq "$(host_exec n1 cat /tmp/after.out)" "n1" "n1 still runs jobs"
finish
