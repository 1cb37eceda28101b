#!/bin/bash
# Agent credential revocation without a restart (issue 10 section 1): two agents' own
# credentials reach the agent protocol; revoking one (by jti, then another by subject)
# refuses it from its next request on with 401 invalid_token "...revoked", the other is
# untouched, and the list survives a restart.
source "$(dirname "$0")/lib.sh"

start_gantry
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json") ||
  fail "no server.json"
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
n7=$(g token issue --json --subject agent-node7 --scope gantry.agent --lifetime 1h) || fail "issue"
n8=$(g token issue --subject agent-node8 --scope gantry.agent --lifetime 1h) || fail "issue"
t7=$(echo "$n7" | py 'd["token"]')
j7=$(echo "$n7" | py 'd["claims"]["jti"]')
# wake TOKEN NAME: the status of POST /v1/agents/NAME/wake (agent protocol), headers in $HDR.
HDR="$TEST_DIR/headers"
wake() {
  curl -s -o /dev/null -D "$HDR" -w '%{http_code}' -X POST -H "Authorization: Bearer $1" \
    "$TCP/v1/agents/$2/wake"
}
expect_eq "$(wake "$t7" node7)" "200" "node7's credential reaches the agent protocol"
expect_eq "$(wake "$n8" node8)" "200" "so does node8's"

log "--- revoke node7's token by jti: at its next request, without a restart"
out=$(g token revoke --jti "$j7") || fail "revoke failed: $out"
expect_eq "$(wake "$t7" node7)" "401" "node7's token is refused"
expect_contains "$(cat "$HDR")" 'error="invalid_token"' "with an invalid_token challenge"
expect_contains "$(cat "$HDR")" "revoked" "saying it was revoked"
expect_eq "$(wake "$n8" node8)" "200" "node8 is untouched"

log "--- revoke node8 by subject; a token minted later works"
g token revoke --subject agent-node8 >/dev/null || fail "revoke --subject failed"
expect_eq "$(wake "$n8" node8)" "401" "node8's token is refused"
sleep 1.1  # iat has a resolution of one second: the next token is issued after the revocation
n8b=$(g token issue --subject agent-node8 --scope gantry.agent --lifetime 1h) || fail "issue"
expect_eq "$(wake "$n8b" node8)" "200" "a new token of node8 is accepted"
expect_contains "$(cat "$GANTRY_HOME/revoked")" "jti $j7" "the list is kept in GANTRY_HOME/revoked"

log "--- only an admin revokes"
usr=$(g token issue --subject nobody --lifetime 1h)
code=$(curl -s -o "$TEST_DIR/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $usr" \
  -d '{"jti":"x"}' "$TCP/v1/tokens/revoke")
expect_eq "$code" "403" "a user's token may not revoke"

log "--- the list survives a restart"
stop_gantry
restart_gantry
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
expect_eq "$(wake "$t7" node7)" "401" "node7 stays revoked after a restart"
expect_eq "$(wake "$n8b" node8)" "200" "node8's new token still works"
finish
