#!/bin/bash
# The thin client (src/README.md): `gantry` loads none of the server's libraries (no SQLite,
# libjwt, hwloc, PMIx, no shared libstdc++) yet submits, lists and waits; the roles (up, run,
# token, ...) reach gantry-full beside it with the same pid and argv; without gantry-full a
# role fails with a message naming it.
source "$(dirname "$0")/lib.sh"

full="$(dirname "$GANTRY_BIN")/gantry-full"
[[ -x "$full" ]] || fail "no gantry-full beside $GANTRY_BIN"

log "--- what the thin client loads"
needed=$(LC_ALL=C readelf -d "$GANTRY_BIN" | awk '/NEEDED/ {print $NF}' | tr -d '[]' | sort | tr '\n' ' ')
log "thin gantry needs: $needed"
for lib in libsqlite3 libjwt libhwloc libpmix libjansson libevent libstdc++; do
  expect_not_contains "$needed" "$lib" "the thin gantry does not load $lib"
done
full_needed=$(LC_ALL=C readelf -d "$full" | awk '/NEEDED/ {print $NF}' | tr -d '[]' | tr '\n' ' ')
expect_contains "$full_needed" "libsqlite3" "gantry-full carries the server (SQLite)"
# What the dynamic loader really maps for a submission-path command (not just DT_NEEDED).
loaded=$(LD_TRACE_LOADED_OBJECTS=1 "$GANTRY_BIN" 2>&1 | awk '{print $1}' | tr '\n' ' ')
expect_not_contains "$loaded" "libsqlite3" "no SQLite in the loaded objects"
expect_not_contains "$loaded" "libjwt" "no libjwt in the loaded objects"

log "--- roles reach gantry-full"
up_help=$(g up --help 2>&1) || fail "gantry up --help failed: $up_help"
expect_contains "$up_help" "--no-tcp" "gantry up --help is gantry-full's"
run_help=$(g run --help 2>&1)
expect_contains "$run_help" "Usage: gantry run" "gantry run --help reaches the launcher"
token_help=$(g token --help 2>&1)
expect_contains "$token_help" "issue" "gantry token --help reaches the issuer"
top_help=$(g --help)
expect_contains "$top_help" "run the server and a local agent" "the thin client lists the roles"

log "--- submit, q and wait through the thin client, against gantry up started through it"
start_gantry
# `gantry up` ran as gantry-full in the process the shell started (exec keeps the pid).
expect_eq "$(readlink "/proc/$GANTRY_PID/exe")" "$(readlink -f "$full")" \
  "gantry up is gantry-full, same pid"
enter_work_dir
s=$(script hello.sh 'echo hello from $SLURM_JOB_ID')
id=$(g submit --parsable -o out.txt "$s") || fail "submit failed"
[[ "$id" =~ ^[0-9]+$ ]] || fail "submit printed '$id'"
pass "submit printed job id $id"
# q_ids [GANTRY]: the JOBID column of `q --all`, one line.
q_ids() { "${1:-$GANTRY_BIN}" q --all | awk 'NR > 1 {printf " %s ", $1}'; }
expect_contains "$(q_ids)" " $id " "q --all lists the job"
g wait -q "$id" || fail "wait $id"
expect_eq "$(cat out.txt)" "hello from $id" "the job ran and wrote its output"
expect_contains "$(g status "$id")" "DONE" "status shows it done"

log "--- a thin client alone: the roles say where they went"
mkdir -p "$TEST_DIR/alone"
cp "$GANTRY_BIN" "$TEST_DIR/alone/gantry"
out=$("$TEST_DIR/alone/gantry" up --help 2>&1)
rc=$?
expect_eq "$rc" "127" "a role without gantry-full exits 127"
expect_contains "$out" "$TEST_DIR/alone/gantry-full" "the message names the missing binary"
expect_contains "$(q_ids "$TEST_DIR/alone/gantry")" " $id " "the client commands still work alone"

finish
