#!/bin/bash
# Access control with two real users (root only): jobs run as their submitter, other users
# can neither see nor steer them, cancel --all is per user, root sees everyone, and TCP
# needs a token (the server's own user's, not a shared admin secret).
source "$(dirname "$0")/lib.sh"

need_users gantry-alice gantry-bob
AU=$(id -u gantry-alice)
BU=$(id -u gantry-bob)

start_gantry
# as USER CMD...: run CMD as USER with that user's groups and our GANTRY_HOME.
as() {
  local u=$1; shift
  setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
    env GANTRY_HOME="$GANTRY_HOME" HOME=/ "$@"
}
ga() { as gantry-alice "$GANTRY_BIN" "$@"; }
gb() { as gantry-bob "$GANTRY_BIN" "$@"; }
qjson_len() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

AD="$TEST_DIR/alice"
BD="$TEST_DIR/bob"
mkdir -p "$AD" "$BD"
chown gantry-alice: "$AD"
chown gantry-bob: "$BD"
chmod 0755 "$AD" "$BD"

log "--- alice's job runs as alice"
cd "$AD" || fail "cd $AD"
aj=$(ga submit --parsable --wrap 'id -u; id -un; touch made-by-job; sleep 60') ||
  fail "alice cannot submit"
wait_state "$aj" RUNNING
wait_file "$AD/slurm-$aj.out"
for ((i = 0; i < 100; i++)); do [[ $(wc -l <"$AD/slurm-$aj.out") -ge 2 ]] && break; sleep 0.05; done
expect_eq "$(cat "$AD/slurm-$aj.out")" "$AU"$'\n'"gantry-alice" "the job's id -u is alice's uid"
expect_eq "$(stat -c %U "$AD/made-by-job")" "gantry-alice" "files the job makes belong to alice"
expect_eq "$(stat -c %U "$AD/slurm-$aj.out")" "gantry-alice" "its output file belongs to alice"
expect_eq "$(json_get "$aj" '[t["owner_uid"], t["owner"]]')" "[$AU, \"gantry-alice\"]" \
  "status records the owner"
# ids USER_CMD...: the JOBID column of q.
ids() { "$@" q --noheader -a | awk '{print $1}' | tr '\n' ' '; }
expect_contains " $(ids ga)" " $aj " "alice sees her job in q"

log "--- bob can neither see nor steer it"
cd "$BD" || fail "cd $BD"
expect_not_contains " $(ids gb)" " $aj " "bob's q -a does not list it"
expect_eq "$(gb q --json -a | qjson_len)" "0" "bob's q --json is empty"
expect_eq "$(gb q --json -u gantry-alice | qjson_len)" "0" "bob's q -u gantry-alice is empty"
expect_fail_with "belongs to another user" gb status "$aj"
expect_fail_with "belongs to another user" gb cancel "$aj"
expect_fail_with "belongs to another user" gb hold "$aj"
expect_fail_with "belongs to another user" gb release "$aj"
expect_fail_with "belongs to another user" gb logs "$aj"
expect_fail_with "belongs to another user" gb events "$aj"
# -o /dev/null (a common sbatch idiom) must work for a non-root user: /dev itself is not
# writable, /dev/null is (this was refused once).
dn=$(gb submit --parsable -H -o /dev/null --wrap true) || fail "bob cannot submit with -o /dev/null"
pass "a non-root user can submit with -o /dev/null"
gb cancel -q "$dn"
bj=$(gb submit --parsable -H --wrap true) || fail "bob cannot submit"
gb cancel --all -q || fail "bob's cancel --all failed"
expect_eq "$(state_of "$aj")" "RUNNING" "bob's cancel --all leaves alice's job alone"
expect_eq "$(state_of "$bj")" "CANCELLED" "bob's cancel --all cancels his own job"
expect_eq "$(json_get "$bj" 't["owner_uid"]')" "$BU" "bob's job is bob's"

mkdir -p "$TEST_DIR/alice-private"
chown gantry-alice: "$TEST_DIR/alice-private"
chmod 0700 "$TEST_DIR/alice-private"
expect_fail_with "is not usable: Permission denied" gb submit -D "$TEST_DIR/alice-private" --wrap true
expect_fail_with "cannot be written" gb submit -o "$AD/bob-was-here.out" --wrap true
[[ ! -e "$AD/bob-was-here.out" ]] && pass "nothing was written into alice's directory" ||
  fail "bob's submission created a file in alice's directory"

log "--- root sees both"
bj2=$(gb submit --parsable -H --wrap true) || fail "bob cannot submit"
out=$(g q --noheader)
expect_contains "$out" "gantry-a" "root's q lists alice's job"
expect_contains "$out" "gantry-b" "root's q lists bob's job"
expect_eq "$(g q --json -u gantry-bob | python3 -c 'import json,sys; print([j["id"] for j in json.load(sys.stdin)])')" \
  "[$bj2]" "root's q -u gantry-bob"
expect_contains "$(g status "$aj")" "gantry-alice" "root can read alice's job"

log "--- alice cancels her job"
ga cancel -q "$aj" || fail "alice cannot cancel her job"
gwait "$aj"
expect_eq "$(state_of "$aj")" "CANCELLED" "alice's job CANCELLED"
expect_contains "$(g events "$aj")" "cancel requested by gantry-alice" "the journal says who cancelled"

log "--- TCP needs the token"
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
[[ "$TCP" == http://127.0.0.1:* ]] && pass "server.json has the TCP URL ($TCP)" || fail "tcp url '$TCP'"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect_eq "$(code "$TCP/v1/whoami")" "401" "no token -> 401"
expect_eq "$(code -H 'Authorization: Bearer not-the-token' "$TCP/v1/whoami")" "401" "wrong token -> 401"
expect_eq "$(code -H "Authorization: Bearer $(cat "$GANTRY_HOME/token")" "$TCP/v1/jobs")" "200" \
  "right token -> 200"
expect_eq "$(code "$TCP/v1/jobs" -d '{}')" "401" "no token on POST /v1/jobs -> 401"
expect_eq "$(stat -c %a "$GANTRY_HOME/token")" "600" "the token file is private (0600)"
expect_eq "$(g token inspect --json "$(cat "$GANTRY_HOME/token")" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["valid"], d["claims"]["sub"])')" \
  "True root" "the token is a token of the built-in issuer for the server's user only"
expect_eq "$(curl -s -H "Authorization: Bearer $(cat "$GANTRY_HOME/agent.token")" "$TCP/v1/jobs" -o /dev/null -w '%{http_code}')" \
  "403" "the agents' credential cannot read jobs"
expect_fail_with "Permission denied" as gantry-bob cat "$GANTRY_HOME/token"

finish
