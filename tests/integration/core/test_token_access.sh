#!/bin/bash
# The API over TCP with bearer tokens, against a real server: a matrix of identities (users
# in two VOs, a production role, a read-only token, the agent credential, no credential and
# each kind of bad token) x endpoints, asserting the exact status; 401s carry a
# WWW-Authenticate challenge that says why, 403s name the missing scope or the policy rule.
# Root only (the tokens map to real local users).
source "$(dirname "$0")/lib.sh"

need_users gantry-alice gantry-bob

make_test_dir
cat >"$TEST_DIR/policy" <<'POLICY'
submit /cms/Role=production prod
POLICY
cat >"$TEST_DIR/vo" <<'VO'
user gantry-alice /cms /cms/prod
user gantry-bob   /atlas /atlas/Role=admin
VO
printf 'policy policy\nvo-file vo\n' >"$TEST_DIR/identity.conf"
start_gantry --partition local,prod  # prod: the restricted partition below
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")

issue() { g token issue --lifetime 1h "$@" || fail "token issue $*"; }
ALICE=$(issue --subject gantry-alice --group /cms)
BOB=$(issue --subject gantry-bob --group /atlas)
PROD=$(issue --subject gantry-alice --group /cms --group /cms/Role=production)
READER=$(issue --subject gantry-alice --group /cms --scope compute.read)
AGENT=$(cat "$GANTRY_HOME/agent.token")
expect_eq "$(stat -c %a "$GANTRY_HOME/agent.token")" "600" "the agent credential is private (0600)"

# craft KEY PAYLOAD_JSON [ALG]: a token signed (ES256) by KEY with a hand-made payload, or
# unsigned (alg none) or HMAC'd with the issuer's public JWKS as the secret (HS256).
craft() {
  python3 - "$@" <<'PY'
import base64, hashlib, hmac, json, subprocess, sys, time
key, payload = sys.argv[1], json.loads(sys.argv[2])
alg = sys.argv[3] if len(sys.argv) > 3 else "ES256"
now = int(time.time())
for k, v in list(payload.items()):
    if isinstance(v, str) and v.startswith("now"):
        payload[k] = now + int(v[3:] or 0)
b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
signing = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode()) + "." + b64(json.dumps(payload).encode())
if alg == "none":
    sig = b""
elif alg == "HS256":
    sig = hmac.new(open(key, "rb").read(), signing.encode(), hashlib.sha256).digest()
else:
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing.encode(),
                         capture_output=True, check=True).stdout
    # DER SEQUENCE { INTEGER r, INTEGER s } -> r || s, 32 bytes each (RFC 7518 section 3.4).
    def integer(buf, at):
        assert buf[at] == 2
        n = buf[at + 1]
        return int.from_bytes(buf[at + 2:at + 2 + n], "big"), at + 2 + n
    r, at = integer(der, 2)
    s, _ = integer(der, at)
    sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
print(signing + "." + b64(sig))
PY
}
ISS=$(g token inspect --json "$ALICE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["claims"]["iss"])')
claims() {  # claims EXP NBF [ISS] [AUD]
  echo "{\"iss\":\"${3:-$ISS}\",\"sub\":\"gantry-alice\",\"aud\":\"${4:-gantry}\",\"iat\":\"now-7200\",\"exp\":\"$1\",\"nbf\":\"$2\",\"wlcg.ver\":\"1.0\",\"scope\":\"compute.read\"}"
}
openssl ecparam -name prime256v1 -genkey -noout -out "$TEST_DIR/evil.key" 2>/dev/null || fail "openssl ecparam"
KEY=$GANTRY_HOME/issuer.key
CRAFTED=$(craft "$KEY" "$(claims now+3600 now-7200)")
EXPIRED=$(craft "$KEY" "$(claims now-3600 now-7200)")
NOT_YET=$(craft "$KEY" "$(claims now+7200 now+3600)")
UNKNOWN_ISSUER=$(craft "$TEST_DIR/evil.key" "$(claims now+3600 now-7200 https://evil.example/)")
WRONG_AUD=$(issue --subject gantry-alice --audience https://elsewhere.example/)
NONE=$(craft "$KEY" "$(claims now+3600 now-7200)" none)
HS256=$(craft "$GANTRY_HOME/issuer.jwks" "$(claims now+3600 now-7200)" HS256)
sig=${ALICE##*.}
BAD_SIG="${ALICE%.*}.${sig:0:20}$([[ ${sig:20:1} == A ]] && echo B || echo A)${sig:21}"

# call TOKEN METHOD PATH [BODY]: the status; the body and headers land in $TEST_DIR/last.*
call() {
  local token=$1 method=$2 path=$3 body=${4:-}
  local args=(-s -o "$TEST_DIR/last.body" -D "$TEST_DIR/last.headers" -w '%{http_code}' -X "$method")
  [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$TCP$path"
}
spec() { echo "{\"script\":\"#!/bin/sh\\ntrue\\n\",\"submit_dir\":\"/tmp\",\"working_dir\":\"/tmp\",\"hold\":true,\"partition\":\"${1:-}\"}"; }
error_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$TEST_DIR/last.body"; }
challenge() { tr -d '\r' <"$TEST_DIR/last.headers" | sed -n 's/^WWW-Authenticate: //ip'; }

log "--- the crafted tokens are real: a well-made one is accepted"
expect_eq "$(call "$CRAFTED" GET /v1/jobs)" "200" "a hand-signed token with good claims -> 200"

log "--- jobs of two users in two VOs"
expect_eq "$(call "$ALICE" POST /v1/jobs "$(spec)")" "201" "alice (/cms) submits"
AJ=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$TEST_DIR/last.body")
expect_eq "$(call "$BOB" POST /v1/jobs "$(spec)")" "201" "bob (/atlas) submits"
BJ=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$TEST_DIR/last.body")
expect_eq "$(json_get "$AJ" 't["owner"]')" "gantry-alice" "alice's token maps to the account gantry-alice"
expect_contains "$(g events "$AJ")" "token:gantry-alice@$ISS" "the journal records the token identity"

# The matrix: identity -> expected status per endpoint, in this order.
ENDPOINTS=(
  "GET /v1/whoami"
  "GET /v1/jobs"
  "POST /v1/jobs"
  "GET /v1/jobs/$AJ"
  "GET /v1/jobs/$AJ/events"
  "GET /v1/jobs/$AJ/wait?timeout_ms=0"
  "GET /v1/jobs/$AJ/output"
  "POST /v1/jobs/$AJ/hold"
  "POST /v1/jobs/$BJ/cancel"
  "POST /v1/agents/matrix/poll"
)
# alice's hold of her held job passes authorisation and is refused by its state (409).
declare -A EXPECT=(
  [alice]="200 200 201 200 200 200 200 409 403 403"
  [bob]="200 200 201 403 403 403 403 403 200 403"
  [reader]="200 200 403 200 200 200 200 403 403 403"
  [agent]="200 403 403 403 403 403 403 403 403 200"
  [none]="401 401 401 401 401 401 401 401 401 401"
)
# An agent with nothing to offer, asking for an answer at once.
POLL='{"status":{"name":"matrix","hostname":"h","total_cpus":0,"total_memory_mb":0,"free_cpus":0,"free_memory_mb":0,"queue_cpus":0,"queue_memory_mb":0},"reports":[],"running_attempts":[],"max_wait_ms":0}'
declare -A TOKEN=([alice]=$ALICE [bob]=$BOB [reader]=$READER [agent]=$AGENT [none]="")
for who in alice bob reader agent none; do
  read -ra want <<<"${EXPECT[$who]}"
  for i in "${!ENDPOINTS[@]}"; do
    read -r method path <<<"${ENDPOINTS[$i]}"
    body=""
    [[ "$path" == /v1/jobs && "$method" == POST ]] && body=$(spec)
    [[ "$path" == */poll ]] && body=$POLL
    t0=$(date +%s%N)
    expect_eq "$(call "${TOKEN[$who]}" "$method" "$path" "$body")" "${want[$i]}" "$who: $method $path"
    (( ($(date +%s%N) - t0) > 2000000000 )) && log "slow: $who $method $path"
  done
done

log "--- refusals say why"
call "$BOB" GET "/v1/jobs/$AJ" >/dev/null
expect_contains "$(error_of)" "belongs to another user" "bob reading alice's job: 403 says whose it is"
call "$READER" POST "/v1/jobs/$AJ/cancel" >/dev/null
expect_eq "$(error_of)" "the token of gantry-alice@$ISS lacks the scope compute.cancel (it holds: compute.read)" \
  "a read-only token cancelling: 403 names the scope"
call "$AGENT" GET /v1/jobs >/dev/null
expect_contains "$(error_of)" "may only use the agent protocol" "the agent credential reading jobs: 403 says why"
call "" GET /v1/jobs >/dev/null
expect_contains "$(challenge)" 'Bearer error="invalid_token", error_description="TCP requests need' \
  "no credential: the challenge says a token is needed"

log "--- a restricted partition (policy: submit /cms/Role=production prod)"
expect_eq "$(call "$PROD" POST /v1/jobs "$(spec prod)")" "201" "the production role submits to prod"
expect_eq "$(call "$ALICE" POST /v1/jobs "$(spec prod)")" "403" "plain /cms may not"
expect_eq "$(error_of)" "the policy lets only the 'submit' rules of partition 'prod' submit there, and none names gantry-alice@$ISS" \
  "... and the 403 names the rule"

log "--- each bad token kind: 401 with the reason"
check_bad() {  # check_bad NAME TOKEN DESCRIPTION-PREFIX
  expect_eq "$(call "$2" GET /v1/jobs)" "401" "$1 -> 401"
  expect_contains "$(challenge)" "Bearer error=\"invalid_token\", error_description=\"$3" "$1: the challenge says why"
}
check_bad expired "$EXPIRED" "the token expired at"
check_bad "not yet valid" "$NOT_YET" "the token is not valid before"
check_bad "bad signature" "$BAD_SIG" "the token's signature does not verify"
check_bad "wrong audience" "$WRONG_AUD" "the token is for audience 'https://elsewhere.example/'"
check_bad "unknown issuer" "$UNKNOWN_ISSUER" "the issuer 'https://evil.example/' is not trusted here"
check_bad malformed "not-a-jwt" "the token is malformed"
check_bad "alg none" "$NONE" "the token's alg 'none' (an unsigned token) is not accepted"
check_bad "HS256 keyed with the public key" "$HS256" "the token's alg 'HS256' (a shared-secret MAC) is not accepted"

log "--- the Authorization scheme is case-insensitive"
for scheme in bearer BEARER Bearer; do
  expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $scheme $ALICE" "$TCP/v1/jobs")" "200" \
    "'$scheme <token>' -> 200"
done

log "--- a token's job runs as the account the token maps to"
mkdir -p "$TEST_DIR/alice"
chown gantry-alice: "$TEST_DIR/alice"
run_spec="{\"script\":\"#!/bin/sh\\nid -un\\n\",\"submit_dir\":\"$TEST_DIR/alice\",\"working_dir\":\"$TEST_DIR/alice\"}"
expect_eq "$(call "$ALICE" POST /v1/jobs "$run_spec")" "201" "alice's token submits a job that runs"
RJ=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$TEST_DIR/last.body")
gwait "$RJ" || fail "job $RJ: $(g status "$RJ")"
expect_eq "$(cat "$TEST_DIR/alice/slurm-$RJ.out")" "gantry-alice" "it ran as gantry-alice"

log "--- the journal records who did each step"
expect_contains "$(g events "$BJ")" "token:gantry-bob@$ISS" "bob's submission and cancel: his token identity"
LJ=$(cd "$TEST_DIR" && g submit --parsable -H --wrap true) || fail "root cannot submit over the socket"
expect_contains "$(g events "$LJ")" "unix:root@local" "root's submission over the socket: root@local"

log "--- local callers get their VO memberships from the VO file"
as() {
  local u=$1; shift
  setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups env HOME=/ "$@"
}
whoami_unix() {
  as "$1" curl -s --unix-socket "$GANTRY_HOME/gantry.sock" http://localhost/v1/whoami |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["kind"], d["subject"], d["vo"], d["groups"], d["roles"])'
}
expect_eq "$(whoami_unix gantry-alice)" "local gantry-alice cms ['/cms', '/cms/prod'] []" "alice over the Unix socket is in /cms/prod"
expect_eq "$(whoami_unix gantry-bob)" "local gantry-bob atlas ['/atlas'] ['/atlas/Role=admin']" "bob holds /atlas/Role=admin"

log "--- the CLI over TCP finds its token by WLCG discovery"
expect_eq "$(GANTRY_SERVER=$TCP BEARER_TOKEN=$BOB g q --json -a | python3 -c '
import json,sys; jobs=json.load(sys.stdin); print(sorted({j["owner"] for j in jobs}), int(sys.argv[1]) in [j["id"] for j in jobs])' "$BJ")" \
  "['gantry-bob'] True" "BEARER_TOKEN: bob's q lists bob's jobs only"
echo "$ALICE" >"$TEST_DIR/alice.token"
expect_fail_with "belongs to another user" env GANTRY_SERVER="$TCP" BEARER_TOKEN_FILE="$TEST_DIR/alice.token" \
  "$GANTRY_BIN" cancel "$BJ"

finish
