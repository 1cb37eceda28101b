#!/bin/bash
# A root server reads a job's output with the owner's rights: a user who replaces their
# output file with a symlink to a file only root may read gets an error from `gantry logs`,
# never the file (this was a hole: the server opened the recorded path as root).
source "$(dirname "$0")/lib.sh"

u=gantry-alice
need_users "$u"
start_gantry
ga() {
  setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
    env GANTRY_HOME="$GANTRY_HOME" HOME=/ "$GANTRY_BIN" "$@"
}

SECRET="$TEST_DIR/root-only"
echo "root's secret" >"$SECRET"
chmod 0600 "$SECRET"
AD="$TEST_DIR/alice"
mkdir -p "$AD"
chown "$u": "$AD"
cd "$AD" || fail "cd $AD"

log "--- a finished job whose output was replaced by a symlink"
j=$(ga submit --parsable -o out.txt --wrap 'echo mine') || fail "alice cannot submit"
gwait "$j"
expect_eq "$(ga logs "$j")" "mine" "alice reads her own output"
setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups ln -sf "$SECRET" "$AD/out.txt" ||
  fail "alice cannot replace her output with a symlink"
out=$(ga logs "$j" 2>&1)
expect_not_contains "$out" "root's secret" "logs does not follow the symlink with root's rights"
expect_contains "$out" "Permission denied" "logs says the file cannot be read as its owner"
expect_contains "$(g logs "$j" 2>&1)" "Permission denied" \
  "root asking changes nothing: the file is read as the job's owner"

log "--- a running job's stderr replaced by a symlink, read with logs"
j2=$(ga submit --parsable -o o2.txt -e e2.txt --wrap 'echo err >&2; sleep 30') ||
  fail "alice cannot submit"
wait_state "$j2" RUNNING
setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups ln -sf "$SECRET" "$AD/e2.txt"
out=$(ga logs "$j2" 2>&1)
expect_not_contains "$out" "root's secret" "logs does not follow the symlink either"
ga cancel -q "$j2"
gwait "$j2"

log "--- a symlink to a file alice may read still works"
echo "shared" >"$TEST_DIR/readable"
chmod 0644 "$TEST_DIR/readable"
j3=$(ga submit --parsable -o o3.txt --wrap true) || fail "alice cannot submit"
gwait "$j3"
setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups ln -sf "$TEST_DIR/readable" "$AD/o3.txt"
expect_eq "$(ga logs "$j3")" "shared" "a symlink to a file alice may read is followed"
finish
