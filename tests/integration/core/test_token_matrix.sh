#!/bin/bash
# The HTTP authorization matrix beyond test_token_access.sh (issue 10 section 1): a see-vo
# VO-admin role sees (q, status, logs) and cancels the jobs of its VO and not others', over the
# API and through the CLI; steer-agents is enforced on listing, drain and resume; and every
# kind of bad token (missing, expired, not yet valid, bad signature, wrong audience, unknown
# issuer, revoked, missing scope) gets its exact status with a WWW-Authenticate challenge
# (RFC 6750 section 3: invalid_token for 401s, insufficient_scope naming the scope for 403s)
# on the jobs list, submit, cancel and the agent poll. Root only (tokens map to local users).
source "$(dirname "$0")/lib.sh"

need_users gantry-alice gantry-bob gantry-carol gantry-dave

make_test_dir
cat >"$TEST_DIR/policy" <<'POLICY'
see-vo       /cms/Role=admin
steer-agents /ops/Role=admin
POLICY
printf 'policy policy\n' >"$TEST_DIR/identity.conf"
start_gantry
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
CRAFT="$(dirname "$0")/token_craft.py"

issue() { g token issue --lifetime 1h "$@" || fail "token issue $*"; }
ALICE=$(issue --subject gantry-alice --group /cms)
BOB=$(issue --subject gantry-bob --group /atlas)
CMS_ADMIN=$(issue --subject gantry-carol --group /cms --group /cms/Role=admin)
CMS_MEMBER=$(issue --subject gantry-carol --group /cms)
OPS_ADMIN=$(issue --subject gantry-dave --group /ops --group /ops/Role=admin)
OPS_MEMBER=$(issue --subject gantry-dave --group /ops)
AGENT=$(cat "$GANTRY_HOME/agent.token")
ISS=$(g token inspect --json "$ALICE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["claims"]["iss"])')

# call TOKEN METHOD PATH [BODY]: the status; the body and headers land in $TEST_DIR/last.*
call() {
  local token=$1 method=$2 path=$3 body=${4:-}
  local args=(-s -o "$TEST_DIR/last.body" -D "$TEST_DIR/last.headers" -w '%{http_code}' -X "$method")
  [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$TCP$path"
}
challenge() { tr -d '\r' <"$TEST_DIR/last.headers" | sed -n 's/^WWW-Authenticate: //ip'; }
error_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$TEST_DIR/last.body"; }
body_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TEST_DIR/last.body"; }
# spec DIR SCRIPT [HOLD]: a job spec running SCRIPT (one line) in DIR.
spec() {
  echo "{\"script\":\"#!/bin/sh\\n$2\\n\",\"submit_dir\":\"$1\",\"working_dir\":\"$1\",\"hold\":${3:-false}}"
}
submit_as() {  # submit_as TOKEN SPEC: the job id
  [[ $(call "$1" POST /v1/jobs "$2") == 201 ]] || fail "submit: $(cat "$TEST_DIR/last.body")"
  body_py 'd["job_id"]'
}
for u in alice bob; do
  mkdir -p "$TEST_DIR/$u"
  chown "gantry-$u:" "$TEST_DIR/$u"
done

log "--- jobs of a /cms user and an /atlas user, one held and one run each"
AH=$(submit_as "$ALICE" "$(spec "$TEST_DIR/alice" true true)")
BH=$(submit_as "$BOB" "$(spec "$TEST_DIR/bob" true true)")
AR=$(submit_as "$ALICE" "$(spec "$TEST_DIR/alice" "echo alice-output")")
BR=$(submit_as "$BOB" "$(spec "$TEST_DIR/bob" "echo bob-output")")
gwait "$AR" "$BR" || fail "jobs $AR $BR: $(g status "$AR" "$BR")"

log "--- see-vo /cms/Role=admin: the VO's jobs, and not another VO's"
expect_eq "$(call "$CMS_ADMIN" GET /v1/jobs)" "200" "the cms admin lists jobs"
expect_eq "$(body_py "sorted({j['id'] for j in d['jobs']} & {$AH, $BH})")" "[$AH]" \
  "q: alice's held job is listed, bob's is not"
for path in "/v1/jobs/$AR" "/v1/jobs/$AR/events" "/v1/jobs/$AR/output"; do
  expect_eq "$(call "$CMS_ADMIN" GET "$path")" "200" "the cms admin reads GET $path (alice, /cms)"
done
expect_eq "$(cat "$TEST_DIR/last.body")" "alice-output" "the cms admin reads alice's output"
for path in "/v1/jobs/$BR" "/v1/jobs/$BR/events" "/v1/jobs/$BR/output"; do
  expect_eq "$(call "$CMS_ADMIN" GET "$path")" "403" "but not GET $path (bob, /atlas)"
done
expect_contains "$(error_of)" "belongs to another user" "the 403 says whose it is"
expect_eq "$(call "$CMS_MEMBER" GET "/v1/jobs/$AR")" "403" "the same person without the role: 403"
expect_eq "$(call "$CMS_MEMBER" GET /v1/jobs)" "200" "and q lists..."
expect_eq "$(body_py "sorted({j['id'] for j in d['jobs']} & {$AH, $BH, $AR, $BR})")" "[]" "...none of them"
expect_eq "$(call "$CMS_ADMIN" POST "/v1/jobs/$BH/cancel")" "403" "the cms admin may not cancel bob's job"
expect_eq "$(call "$CMS_ADMIN" POST "/v1/jobs/$AH/cancel")" "200" "but may cancel alice's"
expect_eq "$(json_get "$AH" 't["state"]')" "CANCELLED" "which is cancelled"

log "--- the same through the CLI (q, status, logs) over TCP"
cli() { GANTRY_SERVER=$TCP BEARER_TOKEN=$CMS_ADMIN "$GANTRY_BIN" "$@"; }
expect_eq "$(cli q --json -a | python3 -c "
import json,sys; ids={j['id'] for j in json.load(sys.stdin)}; print($AR in ids, $BR in ids)")" \
  "True False" "gantry q -a: alice's finished job, not bob's"
expect_contains "$(cli status "$AR")" "DONE" "gantry status of alice's job"
expect_eq "$(cli logs "$AR")" "alice-output" "gantry logs of alice's job"
expect_fail_with "belongs to another user" env GANTRY_SERVER="$TCP" BEARER_TOKEN="$CMS_ADMIN" \
  "$GANTRY_BIN" status "$BR"
expect_fail_with "belongs to another user" env GANTRY_SERVER="$TCP" BEARER_TOKEN="$CMS_ADMIN" \
  "$GANTRY_BIN" logs "$BR"

log "--- steer-agents /ops/Role=admin: list, drain, resume"
for who in OPS_MEMBER ALICE CMS_ADMIN; do
  expect_eq "$(call "${!who}" GET /v1/agents)" "403" "$who may not list agents"
  expect_contains "$(error_of)" "steering agents needs an 'admin' or 'steer-agents' rule" "... and is told why"
  expect_eq "$(call "${!who}" POST /v1/agents/local/drain '{"reason":"no"}')" "403" "$who may not drain"
  expect_eq "$(call "${!who}" POST /v1/agents/local/resume)" "403" "$who may not resume"
done
expect_eq "$(call "$AGENT" POST /v1/agents/local/drain)" "403" "the agent credential may not drain"
expect_eq "$(call "$OPS_ADMIN" GET /v1/agents)" "200" "the ops admin lists agents"
expect_eq "$(body_py "[a['name'] for a in d['agents']]")" "['local']" "... the local agent"
expect_eq "$(call "$OPS_ADMIN" POST /v1/agents/local/drain '{"reason":"kernel update"}')" "200" \
  "the ops admin drains it"
expect_eq "$(body_py "d['state'], d['drain_reason'], d['drained_by']")" \
  "drained kernel update token:gantry-dave@$ISS" "drained, with the reason and who did it"
expect_eq "$(call "$OPS_MEMBER" POST /v1/agents/local/resume)" "403" "the ops member may not resume it"
expect_eq "$(call "$OPS_ADMIN" POST /v1/agents/local/resume)" "200" "the ops admin resumes it"
expect_eq "$(body_py "d['state']")" "idle" "and it is idle again"

log "--- each bad token kind, on the jobs list, submit, cancel and the agent poll"
claims() {  # claims EXP NBF [ISS] [AUD] [SCOPE]
  echo "{\"iss\":\"${3:-$ISS}\",\"sub\":\"gantry-alice\",\"aud\":\"${4:-gantry}\",\"iat\":\"now-7200\",\"exp\":\"$1\",\"nbf\":\"$2\",\"wlcg.ver\":\"1.0\",\"scope\":\"${5:-compute.read compute.create compute.cancel}\"}"
}
openssl ecparam -name prime256v1 -genkey -noout -out "$TEST_DIR/evil.key" 2>/dev/null || fail "openssl ecparam"
KEY=$GANTRY_HOME/issuer.key
craft() { python3 "$CRAFT" "$@" || fail "token_craft.py $*"; }
GOOD=$(craft "$KEY" "$(claims now+3600 now-7200)")
EXPIRED=$(craft "$KEY" "$(claims now-3600 now-7200)")
NOT_YET=$(craft "$KEY" "$(claims now+7200 now+3600)")
UNKNOWN_ISSUER=$(craft "$TEST_DIR/evil.key" "$(claims now+3600 now-7200 https://evil.example/)")
WRONG_AUD=$(craft "$KEY" "$(claims now+3600 now-7200 "$ISS" https://elsewhere.example/)")
sig=${GOOD##*.}
BAD_SIG="${GOOD%.*}.${sig:0:20}$([[ ${sig:20:1} == A ]] && echo B || echo A)${sig:21}"
REVOKED_JSON=$(g token issue --json --subject gantry-alice --group /cms --lifetime 1h) || fail "issue"
REVOKED=$(echo "$REVOKED_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
expect_eq "$(call "$REVOKED" GET /v1/jobs)" "200" "the token to revoke works before"
g token revoke --jti "$(echo "$REVOKED_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["claims"]["jti"])')" \
  >/dev/null || fail "revoke"
expect_eq "$(call "$GOOD" GET /v1/jobs)" "200" "a hand-signed token with good claims is accepted"

POLL='{"status":{"name":"matrix","hostname":"h","total_cpus":0,"total_memory_mb":0,"free_cpus":0,"free_memory_mb":0,"queue_cpus":0,"queue_memory_mb":0},"reports":[],"running_attempts":[],"max_wait_ms":0}'
ENDPOINTS=("GET /v1/jobs" "POST /v1/jobs" "POST /v1/jobs/$BH/cancel" "POST /v1/agents/matrix/poll")
body_for() {  # body_for PATH METHOD
  case "$1 $2" in
    "/v1/jobs POST") spec /tmp true true ;;
    */poll\ POST) echo "$POLL" ;;
  esac
}
# kind TOKEN DESCRIPTION-PREFIX
KINDS=(
  "missing||TCP requests need 'Authorization: Bearer <token>'"
  "expired|$EXPIRED|the token expired at"
  "not yet valid|$NOT_YET|the token is not valid before"
  "bad signature|$BAD_SIG|the token's signature does not verify"
  "wrong audience|$WRONG_AUD|the token is for audience 'https://elsewhere.example/'"
  "unknown issuer|$UNKNOWN_ISSUER|the issuer 'https://evil.example/' is not trusted here"
  "revoked|$REVOKED|the token"
)
for entry in "${KINDS[@]}"; do
  IFS='|' read -r kind token description <<<"$entry"
  for endpoint in "${ENDPOINTS[@]}"; do
    read -r method path <<<"$endpoint"
    expect_eq "$(call "$token" "$method" "$path" "$(body_for "$path" "$method")")" "401" "$kind: $endpoint -> 401"
    expect_contains "$(challenge)" "Bearer error=\"invalid_token\", error_description=\"$description" \
      "$kind: $endpoint: the challenge says why"
  done
done
call "$REVOKED" GET /v1/jobs >/dev/null
expect_contains "$(challenge)" "revoked" "revoked: the challenge says it was revoked"

log "--- missing scope: 403 insufficient_scope naming the scope each endpoint needs"
# Each endpoint with a token holding every scope but the one it needs.
declare -A NEEDS=([GET /v1/jobs]=compute.read [POST /v1/jobs]=compute.create
                  ["POST /v1/jobs/$BH/cancel"]=compute.cancel [POST /v1/agents/matrix/poll]=gantry.agent)
for endpoint in "${ENDPOINTS[@]}"; do
  read -r method path <<<"$endpoint"
  need=${NEEDS[$endpoint]}
  others=$(for s in compute.read compute.create compute.cancel compute.modify; do [[ $s != "$need" ]] && echo -n "$s "; done)
  token=$(craft "$KEY" "$(claims now+3600 now-7200 "$ISS" gantry "${others% }")")
  expect_eq "$(call "$token" "$method" "$path" "$(body_for "$path" "$method")")" "403" "no $need: $endpoint -> 403"
  expect_contains "$(challenge)" "Bearer error=\"insufficient_scope\", scope=\"$need\"" \
    "no $need: $endpoint: the challenge names the scope"
done

finish
