#!/bin/bash
# Storage faults: GANTRY_HOME on a 6 MB tmpfs that fills up while jobs are submitted and end;
# the database locked by another process; a foreign or corrupted file where the database
# should be. Each gives the CLI a clear error naming the cause (507 disk full, 503 locked,
# refusal to start), no accepted job is lost, and once the fault clears the server goes on.
source "$(dirname "$0")/../core/lib.sh"

make_test_dir
MNT="$TEST_DIR/home"
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=6m tmpfs "$MNT" 2>/dev/null; then
  skip "cannot mount a size-limited tmpfs here (needs root / CAP_SYS_ADMIN): disk-full part skipped"
  MNT=""
fi
umount_home() {
  [[ -n "$MNT" ]] || return 0
  mountpoint -q "$MNT/agent" && umount -l "$MNT/agent"
  mountpoint -q "$MNT" && umount -l "$MNT"
}
trap 'umount_home; _cleanup' EXIT

W="$TEST_DIR/work"
mkdir -p "$W"
cd "$W" || fail "cd $W"
export GANTRY_HOME=${MNT:-$TEST_DIR/home}
restart_gantry
DB="$GANTRY_HOME/gantry.db"

if [[ -n "$MNT" ]]; then
  log "--- disk full"
  before=()
  for i in 1 2 3; do before+=("$(submit -o "$W/before-$i.out" --wrap "echo before $i")"); done
  gwait "${before[@]}" || fail "jobs before the fault"
  # both cores busy until the gate opens, and one job queued behind them: it gets its turn
  # during the fault
  gate="while [ ! -e $W/gate ]; do sleep 0.05; done"
  slow=$(submit -o "$W/slow.out" --wrap "$gate; echo slow done") || fail "submit slow"
  slow2=$(submit -o /dev/null --wrap "$gate") || fail "submit slow2"
  queued=$(submit -o "$W/queued.out" --wrap 'echo queued ran') || fail "submit queued"
  wait_state "$slow" RUNNING
  wait_state "$slow2" RUNNING
  # fill the filesystem to the last block
  dd if=/dev/zero of="$GANTRY_HOME/filler" bs=64k 2>/dev/null
  expect_eq "$(df --output=avail "$GANTRY_HOME" | tail -1 | tr -d ' ')" "0" "the disk is full"
  # a big submission cannot fit: the CLI says why
  big=$(python3 -c 'print("#!/bin/bash\n# " + "x" * 300000 + "\ntrue")')
  printf '%s\n' "$big" >"$W/big.sh"
  # the API answers 507 (ResourceExhausted)
  status=$(python3 - "$GANTRY_HOME/gantry.sock" "$W" <<'PY'
import json, socket, sys
body = json.dumps({"script": "#!/bin/bash\n# " + "x" * 300000 + "\ntrue\n",
                   "submit_dir": sys.argv[2], "working_dir": sys.argv[2]}).encode()
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
data = b""
while chunk := s.recv(65536): data += chunk
print(data.split(b"\r\n", 1)[0].decode())
PY
)
  expect_contains "$status" "507" "POST /v1/jobs answers 507 on a full disk"
  expect_fail_with "disk" g submit "$W/big.sh"
  expect_contains "$LAST_STDERR" "full" "the error names a full disk"
  accepted=()
  refused=0
  for i in $(seq 1 20); do
    if out=$(g submit --parsable -o "$W/during-$i.out" --wrap "echo during $i" 2>"$TEST_DIR/err"); then
      accepted+=("$out")
    else
      refused=$((refused + 1))
      last_err=$(cat "$TEST_DIR/err")
    fi
  done
  log "during the fault: ${#accepted[@]} submissions accepted, $refused refused (${last_err:-})"
  ((refused > 0)) && expect_contains "$last_err" "full" "refused submissions say the disk is full"
  # the slow job ends while the disk is full: its report cannot be written yet
  touch "$W/gate"
  wait_file "$W/slow.out"
  # bounded wait for the agent's report of that end: refused (disk full) or, if SQLite
  # found room in its WAL, taken
  for ((i = 0; i < 100; i++)); do
    grep -q "poll failed" "$GANTRY_HOME/up.log" && break
    [[ "$(state_of "$slow" 2>/dev/null)" == DONE ]] && break
    sleep 0.1
  done
  g q >/dev/null && pass "the server still answers queries while the disk is full" ||
    fail "q failed with a full disk"
  kill -0 "$GANTRY_PID" && pass "gantry up is still running" || fail "gantry up died on a full disk"
  rm -f "$GANTRY_HOME/filler"
  log "--- the disk has room again"
  gwait "$slow" || fail "slow job after the fault: $(g status "$slow")"
  expect_eq "$(cat "$W/slow.out")" "slow done" "the job that ended during the fault is DONE"
  expect_eq "$(json_get "$slow" 't["attempts"]')" "1" "in one attempt (its report was kept and resent)"
  gwait "$queued" || fail "the job queued during the fault: $(g status "$queued")"
  expect_eq "$(cat "$W/queued.out")" "queued ran" "the job whose turn came during the fault ran"
  log "its journal:"$'\n'"$(g events "$queued")"
  if grep -q "poll failed" "$GANTRY_HOME/up.log"; then
    pass "the agent's reports were refused during the fault and sent again"
  else
    unobserved "an agent report refused during the fault (SQLite found room in its WAL)"
  fi
  for j in "${accepted[@]}"; do gwait "$j" || fail "job $j accepted during the fault: $(g status "$j")"; done
  pass "all ${#accepted[@]} submissions accepted during the fault ran"
  n=$(submit -o "$W/after.out" --wrap 'echo after') || fail "submit after"
  gwait "$n" || fail "job after the fault"
  expect_eq "$(cat "$W/after.out")" "after" "new jobs run once the disk has room"
  expect_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok" "the database passes integrity_check"
fi

log "--- the database locked by another process"
python3 - "$DB" "$TEST_DIR/locked" <<'PY' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").write("locked\n")
time.sleep(5)
c.execute("ROLLBACK")
PY
LOCKER=$!
EXTRA_PIDS+=("$LOCKER")
wait_file "$TEST_DIR/locked" 10
expect_fail_with "lock" g submit --wrap true
expect_contains "$LAST_STDERR" "another process" "the error says another process holds the lock"
expect_eq "$(g q --noheader | wc -l)" "0" "queries still work while it is locked"
wait "$LOCKER"
n=$(submit -o "$W/unlocked.out" --wrap 'echo unlocked') || fail "submit after the lock"
gwait "$n" || fail "job after the lock"
expect_eq "$(cat "$W/unlocked.out")" "unlocked" "after the lock is released the server goes on"
total=$(q_count)

log "--- a second server on the same GANTRY_HOME"
t0=$SECONDS
expect_fail_with "already using" "$GANTRY_BIN" up --cores 1
((SECONDS - t0 <= 2)) && pass "it is refused at once (the first one is alive)" ||
  fail "the refusal took $((SECONDS - t0)) s"
g q >/dev/null && pass "the first server is unaffected" || fail "q after the second start"

log "--- a corrupted or foreign file where the database should be"
stop_gantry TERM
cp "$DB" "$TEST_DIR/good.db"
rm -f "$DB-wal" "$DB-shm"
head -c 100000 /dev/urandom >"$DB"
sum=$(md5sum <"$DB")
"$GANTRY_BIN" up --cores 1 >"$TEST_DIR/bad.log" 2>&1 &
bad=$!
for ((i = 0; i < 100; i++)); do kill -0 "$bad" 2>/dev/null || break; sleep 0.1; done
wait "$bad"
rc=$?
((rc != 0)) && pass "gantry up refuses a file that is not a database (rc $rc)" || fail "it started"
expect_contains "$(cat "$TEST_DIR/bad.log")" "gantry.db" "the error names the file"
expect_contains "$(cat "$TEST_DIR/bad.log")" "not a database" "and says it is not a database"
expect_eq "$(md5sum <"$DB")" "$sum" "the file was not touched"

rm -f "$DB"
sqlite3 "$DB" 'CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos(name) VALUES("cat");'
sum=$(md5sum <"$DB")
"$GANTRY_BIN" up --cores 1 >"$TEST_DIR/foreign.log" 2>&1
((rc = $?)) && pass "gantry up refuses another program's SQLite database (rc $rc)" || fail "it started"
expect_contains "$(cat "$TEST_DIR/foreign.log")" "not Gantry's" "the error says whose it is not"
expect_eq "$(sqlite3 "$DB" 'SELECT name FROM photos')" "cat" "the foreign database is intact"

# a Gantry database damaged in the middle (a page overwritten): refused or reported, never
# "repaired" by writing over it. Whether gantry up refuses it at start or comes up and
# reports it when a query reads the page, the file must end as it was found.
cp "$TEST_DIR/good.db" "$DB"
python3 - "$DB" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(4096 * 2); f.write(b"\xde\xad" * 2048)
PY
sum=$(md5sum <"$DB")
rm -f "$GANTRY_HOME/server.json"
timeout 20 "$GANTRY_BIN" up --cores 1 >"$TEST_DIR/corrupt.log" 2>&1 &
cpid=$!
# bounded wait for either outcome: it exits (refused) or it answers queries
for ((i = 0; i < 200; i++)); do
  kill -0 "$cpid" 2>/dev/null || break
  [[ -s "$GANTRY_HOME/server.json" ]] && g q >/dev/null 2>&1 && break
  sleep 0.05
done
if kill -0 "$cpid" 2>/dev/null; then
  out=$(g q --all 2>&1)
  log "a damaged database was opened; q --all says: ${out:0:200}"
  n=$(submit -o /dev/null --wrap true 2>/dev/null) && gwait "$n"
  stop_pid "$cpid"
  pass "gantry up came up on the damaged database and stopped (log: $(tail -n 1 "$TEST_DIR/corrupt.log"))"
else
  wait "$cpid"
  expect_contains "$(cat "$TEST_DIR/corrupt.log")" "malformed" "a damaged database is refused as malformed"
fi
expect_eq "$(md5sum <"$DB")" "$sum" "the damaged database was not written over"

log "--- the good database back: everything is there"
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$TEST_DIR/good.db" "$DB"
restart_gantry
expect_eq "$(q_count)" "$total" "all $total jobs are still listed"
n=$(submit -o "$W/restored.out" --wrap 'echo restored') || fail "submit"
gwait "$n" || fail "job after restore"
expect_eq "$(cat "$W/restored.out")" "restored" "and new jobs run"

if [[ -n "$MNT" ]]; then
  log "--- the agent's own disk full (its scratch dir on a full 1 MB tmpfs; the database has room)"
  stop_gantry TERM
  mkdir -p "$GANTRY_HOME/agent"
  mount -t tmpfs -o size=1m tmpfs "$GANTRY_HOME/agent" || fail "mount the agent's tmpfs"
  mkdir -p "$GANTRY_HOME/agent/attempts"
  dd if=/dev/zero of="$GANTRY_HOME/agent/filler" bs=64k 2>/dev/null
  restart_gantry
  j=$(submit -o "$W/agentfull.out" --wrap 'echo ran after all') || fail "submit"
  sleep 3
  st=$(state_of "$j")
  [[ "$st" == READY || "$st" == SCHEDULED ]] &&
    pass "a job the agent cannot prepare is handed back, not failed (state $st)" ||
    fail "job $j is $st while the agent's disk is full: $(g status "$j")"
  rm -f "$GANTRY_HOME/agent/filler"
  gwait "$j" || fail "job $j after the agent's disk has room: $(g status "$j")"
  expect_eq "$(cat "$W/agentfull.out")" "ran after all" "once there is room it runs"
  expect_eq "$(json_get "$j" 't["deep_retries"]')" "0" "without spending a retry"
  log "its journal:"$'\n'"$(g events "$j")"
  stop_gantry TERM
  umount -l "$GANTRY_HOME/agent"
fi
finish
