#!/bin/bash
# The transfer service against a real XRootD server (Debian xrootd-server, started here on
# 127.0.0.1 with a free port as an unprivileged user this test creates, stopped by PID):
# gantry cp both ways checked with xrdcp, catalog transfers file:// -> root:// verified by the
# server's adler32, a replication rule that repairs a bad replica, no retry for a missing
# source, and a server killed with SIGKILL mid-queue that loses no transfer and registers no
# half file.
source "$(dirname "$0")/lib.sh"

command -v xrootd >/dev/null && command -v xrdcp >/dev/null ||
  skip_test "needs xrootd-server and xrootd-client (scripts/packages.txt)"
need_users gantry-xrd

make_test_dir
XRD="$TEST_DIR/xrd"
mkdir -p "$XRD/data" "$XRD/admin" "$TEST_DIR/rse1"
chown gantry-xrd "$XRD/data" "$XRD/admin"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$XRD/xrd.cfg" <<CFG
xrd.port $PORT
xrd.allow host localhost
all.export $XRD/data
xrootd.chksum adler32
all.adminpath $XRD/admin
all.pidpath $XRD/admin
CFG
setpriv --reuid=gantry-xrd --regid="$(id -g gantry-xrd)" --clear-groups \
  xrootd -c "$XRD/xrd.cfg" -l "$XRD/admin/xrd.log" >"$XRD/out" 2>&1 &
EXTRA_PIDS+=($!)
for ((i = 0; i < 100; i++)); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
((i < 100)) || fail "xrootd did not listen on $PORT: $(cat "$XRD/out")"
ROOT="root://127.0.0.1:$PORT/"
adler() { python3 -c 'import sys,zlib; print("%08x" % zlib.adler32(open(sys.argv[1],"rb").read()))' "$1"; }
# state DID RSE: the state of the DID's replica on RSE ("none" if it has none there).
state() {
  g data list-replicas "$1" --json | python3 -c '
import json, sys
states = [r["state"] for f in json.load(sys.stdin) for r in f["replicas"] if r["rse"] == sys.argv[1]]
print(states[0] if states else "none")' "$2"
}
# wait_state DID RSE STATE: bounded (30 s) wait for a replica state.
wait_state() {
  local i
  for ((i = 0; i < 300; i++)); do
    [[ "$(state "$1" "$2")" == "$3" ]] && return 0
    sleep 0.1
  done
  return 1
}

# gantry cp, both ways, checked by xrdcp.
head -c 3000000 /dev/urandom >"$TEST_DIR/a.bin"
g cp -q "$TEST_DIR/a.bin" "$ROOT$XRD/data/cp/a.bin" || fail "gantry cp to root://"
xrdcp -s "$ROOT$XRD/data/cp/a.bin" "$TEST_DIR/back.bin" || fail "xrdcp back"
expect_eq "$(adler "$TEST_DIR/back.bin")" "$(adler "$TEST_DIR/a.bin")" "gantry cp to root:// wrote the bytes xrdcp reads back"
out=$(g cp --json "$ROOT$XRD/data/cp/a.bin" "$TEST_DIR/b.bin") || fail "gantry cp from root://"
expect_contains "$out" "\"adler32\": \"$(adler "$TEST_DIR/a.bin")\"" "gantry cp from root:// verifies adler32"
expect_fail_with "exists" g cp -q "$TEST_DIR/a.bin" "$ROOT$XRD/data/cp/a.bin"
expect_fail_with "adler32" g cp -q --checksum adler32:00000001 "$TEST_DIR/a.bin" "$TEST_DIR/c.bin"
[[ ! -e "$TEST_DIR/c.bin" ]] && pass "a copy that fails verification leaves nothing" || fail "c.bin exists"
expect_fail_with "cannot open" g cp -q "$ROOT$XRD/data/none" "$TEST_DIR/d.bin"

# Catalog transfers file:// -> root://.
start_gantry
g data add-rse LOCAL --attr tier=1 --prefix "file://$TEST_DIR/rse1" >/dev/null || fail "add-rse LOCAL"
g data add-rse XRD --attr tier=2 --prefix "$ROOT$XRD/data" >/dev/null || fail "add-rse XRD"
g data add-rse XRD2 --attr tier=2 --prefix "${ROOT}$XRD/data/two" >/dev/null || fail "add-rse XRD2"
mkdir -p "$TEST_DIR/rse1/cms"
g data add-dataset cms:ds >/dev/null || fail "add-dataset"
for n in 1 2 3; do
  head -c $((200000 * n)) /dev/urandom >"$TEST_DIR/rse1/cms/f$n"
  g data add-file "cms:f$n" --file "$TEST_DIR/rse1/cms/f$n" --rse LOCAL --dataset cms:ds >/dev/null ||
    fail "add-file f$n"
done
ids=$(g transfers submit cms:f1 --rse XRD) || fail "transfers submit"
g transfers -f >/dev/null || fail "transfers -f"
show=$(g transfers show "$ids") || fail "transfers show"
expect_contains "$show" "done" "the transfer to root:// is done"
expect_contains "$show" "verified" "its adler32 was verified"
expect_eq "$(xrdfs "$ROOT" query checksum "$XRD/data/cms/f1" | awk '{print $2}')" "$(adler "$TEST_DIR/rse1/cms/f1")" \
  "the server's adler32 of the copy is the source's"
expect_eq "$(state cms:f1 XRD)" "available" "the replica on XRD is available"

# A rule: 2 copies of the dataset on tier=2 RSEs; a bad copy is repaired.
rule=$(g data add-rule cms:ds 2 'tier=2') || fail "add-rule"
for ((i = 0; i < 300; i++)); do
  [[ "$(g data list-rules --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" == ok ]] && break
  sleep 0.1
done
expect_contains "$(g data list-rules)" "ok" "the rule is satisfied"
expect_eq "$(g data list-replicas cms:ds --json | python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin) for r in f["replicas"] if r["state"]=="available"))')" \
  "9" "3 files x (LOCAL + 2 tier=2 copies) available"
echo garbage >"$XRD/data/two/cms/f2"
g data set-replica-state XRD2 cms:f2 bad || fail "set-replica-state"
wait_state cms:f2 XRD2 available || fail "the bad copy on XRD2 was not repaired"
expect_eq "$(xrdfs "$ROOT" query checksum "$XRD/data/two/cms/f2" | awk '{print $2}')" "$(adler "$TEST_DIR/rse1/cms/f2")" \
  "the rule repaired the bad copy on XRD2"

# A copy whose bytes changed on disk: verify marks it bad, the rule repairs it.
echo changed >"$XRD/data/cms/f3"
verify=$(g data verify cms:f3 --rse XRD --json) && fail "verify exits 0 with a bad copy"
expect_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])' <<<"$verify")" \
  "bad" "verify reports the changed copy bad (and exits 1)"
wait_state cms:f3 XRD available || fail "the changed copy on XRD was not repaired"
expect_eq "$(xrdfs "$ROOT" query checksum "$XRD/data/cms/f3" | awk '{print $2}')" "$(adler "$TEST_DIR/rse1/cms/f3")" \
  "the rule repaired the changed copy"

# A source that is gone: one attempt, no retry, nothing registered.
head -c 1000 /dev/urandom >"$TEST_DIR/rse1/cms/gone"
g data add-file cms:gone --file "$TEST_DIR/rse1/cms/gone" --rse LOCAL >/dev/null || fail "add-file gone"
rm "$TEST_DIR/rse1/cms/gone"
id=$(g transfers submit cms:gone --rse XRD) || fail "submit gone"
g transfers -f >/dev/null
js=$(g transfers show "$id" --json)
expect_eq "$(python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["state"], t["attempts"])' <<<"$js")" "failed 1" \
  "a missing source fails at once (not recoverable)"
expect_eq "$(state cms:gone XRD)" "none" "and registers no replica on XRD"

# SIGKILL with transfers queued: after the restart every one ends done, no part file stays.
g data add-dataset cms:kds >/dev/null || fail "add-dataset kds"
for n in $(seq 1 12); do
  head -c 2000000 /dev/urandom >"$TEST_DIR/rse1/cms/k$n"
  g data add-file "cms:k$n" --file "$TEST_DIR/rse1/cms/k$n" --rse LOCAL --dataset cms:kds >/dev/null ||
    fail "add k$n"
done
g transfers submit cms:kds --rse XRD >/dev/null || fail "submit kds"
pending=$(g transfers --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
stop_gantry KILL
((pending > 0)) || unobserved "a transfer still queued or active when the server was killed"
restart_gantry
g transfers -f >/dev/null || fail "transfers -f after the restart"
states=$(g transfers --all --json | python3 -c 'import json,sys; print(" ".join(sorted({t["state"] for t in json.load(sys.stdin) if t["did"].startswith("cms:k")})))')
expect_eq "$states" "done" "every queued transfer survived the kill and is done"
expect_eq "$(find "$XRD/data" -name '*.gantry-part-*' | wc -l)" "0" "no partial file is left"
bad=0
for n in $(seq 1 12); do
  [[ "$(xrdfs "$ROOT" query checksum "$XRD/data/cms/k$n" | awk '{print $2}')" == "$(adler "$TEST_DIR/rse1/cms/k$n")" ]] || bad=$((bad + 1))
done
expect_eq "$bad" "0" "every copy has its source's adler32"
finish
