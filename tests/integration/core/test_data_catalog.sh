#!/bin/bash
# The file catalog against a real server (docs/data.md): RSEs and RSE expressions, files
# registered from real bytes (adler32 as python's zlib computes it), datasets and
# containers, replicas and their URLs, metadata queries, names never reused, usage, a
# restart that keeps it all, and storage scopes on a bearer token over TCP.
source "$(dirname "$0")/lib.sh"

start_gantry
mkdir -p "$TEST_DIR/rse1" "$TEST_DIR/rse2"

g data add-rse T2_EE_DISK --site T2_EE --attr tier=2 --prefix "file://$TEST_DIR/rse1" \
  --prefix "root://127.0.0.1:1094/$TEST_DIR/rse1" >/dev/null || fail "add-rse T2_EE_DISK"
g data add-rse T1_DE_DISK --site T1_DE --attr tier=1 --prefix "file://$TEST_DIR/rse2" \
  >/dev/null || fail "add-rse T1_DE_DISK"
out=$(g data list-rses --rses 'site=T2_EE|tier=1' --json) || fail "list-rses"
expect_eq "$(python3 -c 'import json,sys; print(" ".join(r["name"] for r in json.load(sys.stdin)))' <<<"$out")" \
  "T1_DE_DISK T2_EE_DISK" "an RSE expression selects both RSEs"
expect_fail_with "column 9: expected a name" g data list-rses --rses 'tier=1|('
expect_fail_with "exists" g data add-rse T1_DE_DISK --prefix "file:///x"

head -c 300000 /dev/urandom >"$TEST_DIR/rse1/f1.bin"
want=$(python3 -c 'import sys,zlib; print("%08x" % zlib.adler32(open(sys.argv[1],"rb").read()))' "$TEST_DIR/rse1/f1.bin")
g data add-file cms:f1 --file "$TEST_DIR/rse1/f1.bin" --rse T2_EE_DISK --path f1.bin \
  --meta run=358031 --meta datatype=AOD >/dev/null || fail "add-file cms:f1"
g data add-file cms:f2 --bytes 10 --adler32 0000000A --meta run=7 >/dev/null || fail "add-file f2"
g data add-dataset cms:ds >/dev/null && g data add-container cms:all >/dev/null || fail "add collections"
g data attach cms:ds cms:f1 cms:f2 && g data attach cms:all cms:ds || fail "attach"
expect_fail_with "holds datasets and containers" g data attach cms:all cms:f1

reps=$(g data list-replicas cms:all --json) || fail "list-replicas"
expect_eq "$(python3 -c 'import json,sys; f=json.load(sys.stdin)[0]; print(f["adler32"], f["bytes"], f["replicas"][0]["pfns"]["file"])' <<<"$reps")" \
  "$want 300000 file://$TEST_DIR/rse1/f1.bin" "the file's adler32 is zlib's, its URL the RSE's prefix + path"
expect_contains "$(g data list-replicas cms:ds)" "(no replica)" "a file without replicas says so"

expect_contains "$(g data list-dids cms --filter 'run>1000,datatype=AOD')" "cms:f1" "a metadata query finds f1"
expect_not_contains "$(g data list-dids cms --filter 'run>1000')" "cms:f2" "and not f2"
expect_contains "$(g data list-dids 'cms:*' --type container)" "cms:all" "list-dids by type"
expect_fail_with "compares with a number" g data list-dids cms --filter 'run>x'
g data set-metadata cms:f2 events=50 || fail "set-metadata"
expect_contains "$(g data meta cms:f2)" "events:    50" "meta shows the key set"

g data erase cms:f2 || fail "erase"
expect_fail_with "names are never reused" g data add-file cms:f2 --bytes 10 --adler32 0000000a
expect_fail_with "is a dataset, not a file" g data add-file cms:ds --bytes 1 --adler32 00000001 --rse T2_EE_DISK

usage=$(g data usage --json) || fail "usage"
expect_eq "$(python3 -c 'import json,sys; u=json.load(sys.stdin); print(u[0]["rse"], u[0]["files"], u[0]["bytes"])' <<<"$usage")" \
  "T2_EE_DISK 1 300000" "usage per RSE counts the available replica"

g data set-replica-state T2_EE_DISK cms:f1 bad || fail "set-replica-state"
expect_eq "$(g data usage --json)" "[]" "a bad replica is not counted"

stop_gantry
restart_gantry
expect_contains "$(g data list-replicas cms:f1)" "bad" "the catalog survives a restart"

# Over TCP, a token carries the storage scopes it may use.
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
READ=$(g token issue --subject "$(id -un)" --scope "storage.read:/cms") || fail "token issue"
expect_contains "$(GANTRY_SERVER=$TCP GANTRY_TOKEN=$READ g data list-replicas cms:f1)" "T2_EE_DISK" \
  "a storage.read:/cms token reads cms:f1"
expect_fail_with "lacks the scope storage.create:/cms/f3" \
  env GANTRY_SERVER="$TCP" GANTRY_TOKEN="$READ" "$GANTRY_BIN" data add-file cms:f3 --bytes 1 --adler32 00000001
expect_fail_with "lacks the scope storage.read:/atlas/x" \
  env GANTRY_SERVER="$TCP" GANTRY_TOKEN="$READ" "$GANTRY_BIN" data get-metadata atlas:x
finish
