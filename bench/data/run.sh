#!/usr/bin/env bash
# Data figures of issue 14, each as a ratio against its peer measured in the same run
# (higher is better for gantry; 1.00 is parity):
#   file:// copy      gantry cp            vs cp                 (SIZE_MB, default 1024)
#   root:// copy      gantry cp            vs xrdcp              (to a local xrootd)
#   adler32           gantry's Adler32     vs python3 zlib.adler32 on the same-size buffer
#   catalog           register N replicas  vs python3 sqlite3 inserting the same rows
#                     replica lookups/s    vs python3 sqlite3 point queries
#   transfer queue    SMALL_N files of SMALL_KB KiB replicated file:// -> file:// through the
#                     service (durable queue, verified copies): files/s (no peer here)
# Usage: bench/data/run.sh [build dir]   (SIZE_MB=256 N=1000000 SMALL_N=10000 SMALL_KB=10)
# The page cache is warm for both sides of each pair (the file is read once before).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
gantry="$build/apps/gantry/gantry"
bench="$build/bench/data/data_bench"
SIZE_MB="${SIZE_MB:-1024}"
N="${N:-1000000}"
SMALL_N="${SMALL_N:-10000}"
SMALL_KB="${SMALL_KB:-10}"
[[ -x "$gantry" && -x "$bench" ]] || { echo "build first: ninja -C $build gantry data_bench" >&2; exit 1; }
work=$(mktemp -d /tmp/gantry-bench-data.XXXXXX)
chmod 755 "$work"
xrd_pid=""
cleanup() {
  [[ -n "$xrd_pid" ]] && kill "$xrd_pid" 2>/dev/null && wait "$xrd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
# best TIMES CMD...: the shortest wall time of TIMES runs, in seconds.
best() {
  local times=$1 best="" t0 t1 d; shift
  for ((i = 0; i < times; i++)); do
    t0=$(now); "$@" >/dev/null; t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    if [[ -z "$best" ]] || (($(echo "$d < $best" | bc -l))); then best=$d; fi
  done
  echo "$best"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }
row() { printf "%-34s %-44s %s\n" "$1" "$2" "$3"; }

echo "# bench/data/run.sh: SIZE_MB=$SIZE_MB N=$N on $(nproc) cores, $(date -u +%FT%TZ)"
head -c $((SIZE_MB << 20)) /dev/urandom >"$work/src.bin"
cat "$work/src.bin" >/dev/null

# 1. file:// to file://
t_cp=$(best 2 bash -c "rm -f '$work/cp.out'; cp '$work/src.bin' '$work/cp.out'")
t_g=$(best 2 bash -c "rm -f '$work/g.out'; '$gantry' cp -q '$work/src.bin' '$work/g.out'")
cmp -s "$work/src.bin" "$work/g.out" || { echo "gantry cp output differs" >&2; exit 1; }
rm -f "$work/cp.out" "$work/g.out"
row "file:// ${SIZE_MB} MiB copy" "gantry cp $t_g s, cp $t_cp s" "$(ratio "$t_cp" "$t_g")x cp"

# 2. to root:// (a local xrootd on a free port; as nobody-like user when root)
if command -v xrootd >/dev/null && command -v xrdcp >/dev/null; then
  mkdir -p "$work/xrd/data" "$work/xrd/admin"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'xrd.port %s\nxrd.allow host localhost\nall.export %s\nxrootd.chksum adler32\nall.adminpath %s\nall.pidpath %s\n' \
    "$port" "$work/xrd/data" "$work/xrd/admin" "$work/xrd/admin" >"$work/xrd/xrd.cfg"
  run_as=()
  if [[ $(id -u) == 0 ]]; then
    id gantry-xrd >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin gantry-xrd
    chown gantry-xrd "$work/xrd/data" "$work/xrd/admin"
    run_as=(setpriv --reuid=gantry-xrd --regid="$(id -g gantry-xrd)" --clear-groups)
  fi
  "${run_as[@]}" xrootd -c "$work/xrd/xrd.cfg" -l "$work/xrd/admin/xrd.log" >/dev/null 2>&1 &
  xrd_pid=$!
  for ((i = 0; i < 100; i++)); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  url="root://127.0.0.1:$port/$work/xrd/data"
  t_x=$(best 2 xrdcp -f -s "$work/src.bin" "$url/x.out")
  t_g=$(best 2 "$gantry" cp -f -q "$work/src.bin" "$url/g.out")
  row "root:// ${SIZE_MB} MiB upload" "gantry cp $t_g s, xrdcp $t_x s" "$(ratio "$t_x" "$t_g")x xrdcp"
  t_x=$(best 2 bash -c "rm -f '$work/xd.out'; xrdcp -s '$url/x.out' '$work/xd.out'")
  t_g=$(best 2 bash -c "rm -f '$work/gd.out'; '$gantry' cp -q '$url/g.out' '$work/gd.out'")
  row "root:// ${SIZE_MB} MiB download" "gantry cp $t_g s, xrdcp $t_x s" "$(ratio "$t_x" "$t_g")x xrdcp"
  rm -f "$work/xd.out" "$work/gd.out" "$work/xrd/data/"*.out
  kill "$xrd_pid"; wait "$xrd_pid" 2>/dev/null || true; xrd_pid=""
else
  row "root:// copy" "skipped: no xrootd/xrdcp" "-"
fi
rm -f "$work/src.bin"

# 3. adler32 on a 256 MiB buffer
ours=$("$bench" adler32 256 | awk '/adler32_gbps/ {print $2}')
peer=$(python3 - <<'PY'
import time, zlib
buf = bytes((i * 2654435761 >> 13) & 0xff for i in range(1 << 20)) * 256
zlib.adler32(buf)
n, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < 2.0:
    zlib.adler32(buf); n += 1
print("%.3f" % (len(buf) * n / (time.perf_counter() - t0) / 1e9))
PY
)
row "adler32 (256 MiB buffer)" "gantry $ours GB/s, zlib (python3) $peer GB/s" "$(ratio "$ours" "$peer")x zlib"

# 4. catalog: N replicas registered, then random lookups for 3 s
mkdir -p "$work/cat"
out=$("$bench" catalog "$N" "$work/cat")
reg=$(awk '/register_seconds/ {print $2}' <<<"$out")
lps=$(awk '/lookups_per_second/ {print $2}' <<<"$out")
peer=$(python3 - "$N" "$work/peer.db" <<'PY'
import random, sqlite3, sys, time
n, path = int(sys.argv[1]), sys.argv[2]
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE dids(id INTEGER PRIMARY KEY, scope TEXT, name TEXT, bytes INTEGER, adler32 TEXT, UNIQUE(scope, name))")
db.execute("CREATE TABLE replicas(did_id INTEGER, rse_id INTEGER, state INTEGER, PRIMARY KEY(did_id, rse_id)) WITHOUT ROWID")
t0 = time.perf_counter()
for base in range(0, n, 10000):
    db.execute("BEGIN IMMEDIATE")
    for i in range(base, min(n, base + 10000)):
        cur = db.execute("INSERT INTO dids(scope, name, bytes, adler32) VALUES('bench', ?, ?, '0a0b0c0d')", ("file.%d" % i, 1000 + i))
        db.execute("INSERT INTO replicas VALUES(?, 1, 0)", (cur.lastrowid,))
    db.execute("COMMIT")
reg = time.perf_counter() - t0
r, k, t0 = random.Random(1), 0, time.perf_counter()
while time.perf_counter() - t0 < 3.0:
    name = "file.%d" % r.randrange(n)
    row = db.execute("SELECT d.bytes, d.adler32, p.rse_id, p.state FROM dids d JOIN replicas p ON p.did_id = d.id WHERE d.scope = 'bench' AND d.name = ?", (name,)).fetchone()
    assert row; k += 1
print("%.3f %.0f" % (reg, k / (time.perf_counter() - t0)))
PY
)
peer_reg=${peer% *}; peer_lps=${peer#* }
row "catalog: register $N replicas" "gantry $reg s, python sqlite3 $peer_reg s" "$(ratio "$peer_reg" "$reg")x sqlite3"
row "catalog: replica lookups/s" "gantry $lps/s, python sqlite3 $peer_lps/s" "$(ratio "$lps" "$peer_lps")x sqlite3"

# 5. small files through the transfer queue
mkdir -p "$work/queue"
out=$("$bench" queue "$SMALL_N" "$SMALL_KB" "$work/queue")
fps=$(awk '/queue_files_per_second/ {print $2}' <<<"$out")
qs=$(awk '/queue_seconds/ {print $2}' <<<"$out")
row "queue: $SMALL_N x $SMALL_KB KiB file://" "gantry $fps files/s ($qs s)" "-"
