#!/bin/bash
# TLS on TCP: `gantry up --tls-cert --tls-key` serves https:// (server.json says so); curl,
# the CLI and a `gantry agent` that trust the test's own CA get answers and run jobs; a
# client with another CA, a plain-HTTP client and a key that does not match are refused
# with messages that say what to do. (That a token never goes over plain TCP to a host
# that is not the loopback is net_test's TlsPolicyTest: a test here would have to name one.)
source "$(dirname "$0")/lib.sh"

make_test_dir
C="$TEST_DIR/certs"
mkdir -p "$C"
(
  cd "$C" || exit 1
  for ca in ca other; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -subj "/CN=gantry-test-$ca" -keyout $ca.key -out $ca.pem || exit 1
  done
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=server \
    -keyout server.key -out server.csr || exit 1
  printf 'subjectAltName=IP:127.0.0.1\n' >ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext.cnf -out server.pem || exit 1
) >"$TEST_DIR/openssl.log" 2>&1 || fail "openssl: $(cat "$TEST_DIR/openssl.log")"

log "--- a key that does not match its certificate is refused at start"
out=$("$GANTRY_BIN" up --home "$TEST_DIR/bad" --tls-cert "$C/server.pem" --tls-key "$C/other.key" 2>&1)
expect_eq "$?" "1" "gantry up exits 1"
expect_contains "$out" "cannot use TLS key $C/other.key" "it names the key it cannot use"
expect_fail_with "needs both a certificate" "$GANTRY_BIN" up --home "$TEST_DIR/bad" \
  --tls-cert "$C/server.pem"

start_gantry --tls-cert "$C/server.pem" --tls-key "$C/server.key"
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
[[ "$TCP" == https://127.0.0.1:* ]] && pass "server.json names the https URL ($TCP)" ||
  fail "tcp url '$TCP'"
TOKEN=$(cat "$GANTRY_HOME/token")

log "--- curl"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect_eq "$(code --cacert "$C/ca.pem" -H "Authorization: Bearer $TOKEN" "$TCP/v1/jobs")" "200" \
  "curl trusting the CA gets 200"
expect_eq "$(code --cacert "$C/ca.pem" "$TCP/v1/jobs")" "401" "still 401 without the token"
expect_eq "$(code --cacert "$C/other.pem" "$TCP/v1/jobs")" "000" \
  "curl trusting another CA does not connect"
expect_eq "$(code "http://${TCP#https://}/v1/jobs")" "000" "plain HTTP to the TLS port gets nothing"

log "--- the CLI"
W="$TEST_DIR/work"
mkdir -p "$W"
cd "$W" || fail "cd $W"
tcli() { GANTRY_SERVER="$TCP" GANTRY_TOKEN="$TOKEN" GANTRY_CA_FILE="$C/ca.pem" "$GANTRY_BIN" "$@"; }
j=$(tcli submit --parsable --wrap 'echo over-tls') || fail "submit over TLS"
tcli wait -q "$j" || fail "wait over TLS"
expect_eq "$(cat "slurm-$j.out")" "over-tls" "a job submitted over TLS ran"
expect_fail_with "not trusted" env GANTRY_SERVER="$TCP" GANTRY_TOKEN="$TOKEN" \
  GANTRY_CA_FILE="$C/other.pem" "$GANTRY_BIN" q
expect_fail_with "cannot load CA file" env GANTRY_SERVER="$TCP" GANTRY_TOKEN="$TOKEN" \
  GANTRY_CA_FILE="$C/missing.pem" "$GANTRY_BIN" q

log "--- an agent over TLS"
D="$TEST_DIR/server2"
mkdir -p "$D"
"$GANTRY_BIN" server --home "$D" --tls-cert "$C/server.pem" --tls-key "$C/server.key" \
  >"$TEST_DIR/server2.log" 2>&1 &
EXTRA_PIDS+=($!)
for ((i = 0; i < 200; i++)); do [[ -s "$D/server.json" ]] && break; sleep 0.05; done
TCP2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$D/server.json") ||
  fail "no server.json for the second server"
mkdir -p "$TEST_DIR/work2"
cd "$TEST_DIR/work2" || fail "cd work2"
"$GANTRY_BIN" agent --server "$TCP2" --token-file "$D/token" --ca-file "$C/ca.pem" --cores 1 \
  --home "$TEST_DIR/agent2" >"$TEST_DIR/agent2.log" 2>&1 &
EXTRA_PIDS+=($!)
j2=$(GANTRY_HOME="$D" "$GANTRY_BIN" submit --parsable --wrap 'echo agent-over-tls') ||
  fail "submit to the second server"
GANTRY_HOME="$D" timeout 60 "$GANTRY_BIN" wait -q "$j2" ||
  fail "the job did not run through the TLS agent: $(cat "$TEST_DIR/agent2.log")"
expect_eq "$(cat "slurm-$j2.out")" "agent-over-tls" "a job ran on an agent that speaks TLS"
out=$(timeout 20 "$GANTRY_BIN" agent --server "$TCP2" --token-file "$D/token" \
  --ca-file "$C/other.pem" --name stranger --home "$TEST_DIR/agent3" 2>&1)
expect_contains "$out" "not trusted" "an agent with another CA is refused and says why"

finish
