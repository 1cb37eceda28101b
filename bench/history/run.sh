#!/usr/bin/env bash
# History queries on a large store: latency of `gantry q --all --limit 100 --user U` with
# 1,000,000 finished tasks (issue 10 section 3: target under 50 ms). The peer, measured in
# the same run on the same server, is `gantry q --all -j 1_0` (one primary-key read: what any
# q costs - process start, connect, answer). A benchmark: nothing asserted.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/history/run.sh [OPTIONS]
Fills a temp GANTRY_HOME with TASKS finished tasks (arrays of 100; alice's, and every 100th
job bob's), starts `gantry up --no-tcp` on it and times each query RUNS times, printing
p50/p95/max in ms and p50 against the peer and the 50 ms target.
  --tasks N     finished tasks to fill (default 1000000)
  --runs N      timed runs per query (default 30)
  --build DIR   build directory with apps/gantry/gantry and bench/history/fill_history
                (default $BUILD or <repo>/build)
  --keep        keep the temp GANTRY_HOME (its path is printed)
  -h, --help    this text
USAGE
}

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD:-$root/build}"
tasks=1000000 runs=30 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) tasks="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --build) build="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
gantry="$build/apps/gantry/gantry"
fill="$build/bench/history/fill_history"
for b in "$gantry" "$fill"; do
  [ -x "$b" ] || { echo "run.sh: $b missing: ninja -C $build gantry fill_history" >&2; exit 1; }
done

export GANTRY_HOME="$(mktemp -d /tmp/gantry-history.XXXXXX)"
up_pid=""
cleanup() {
  if [ -n "$up_pid" ]; then kill "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "kept $GANTRY_HOME"; else rm -rf "$GANTRY_HOME"; fi
}
trap cleanup EXIT

t0=$EPOCHREALTIME
"$fill" "$GANTRY_HOME/gantry.db" "$tasks"
t1=$EPOCHREALTIME
printf 'filled %d finished tasks in %.1f s (%s)\n' "$tasks" "$(echo "$t1 - $t0" | bc)" \
  "$(du -h "$GANTRY_HOME/gantry.db" | cut -f1)"

"$gantry" up --no-tcp --cores 1 >"$GANTRY_HOME/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 300); do
  [ -S "$GANTRY_HOME/gantry.sock" ] && "$gantry" q >/dev/null 2>&1 && break
  sleep 0.1
done
"$gantry" q >/dev/null || { cat "$GANTRY_HOME/up.log" >&2; exit 1; }

python3 - "$gantry" "$runs" <<'PY'
import statistics, subprocess, sys, time
gantry, runs = sys.argv[1], int(sys.argv[2])
queries = [
    ("peer: q --all -j 1_0 (one row by primary key)", ["--all", "-j", "1_0"]),
    ("q --all --limit 100 --user bob (1% of jobs)", ["--all", "--limit", "100", "--user", "bob"]),
    ("q --all --limit 100 --user alice (99%)", ["--all", "--limit", "100", "--user", "alice"]),
    ("q --all --limit 100", ["--all", "--limit", "100"]),
    ("q --all --limit 100 --user bob -t F", ["--all", "--limit", "100", "--user", "bob", "-t", "F"]),
    ("q --all --limit 100 -n bobs", ["--all", "--limit", "100", "-n", "bobs"]),
]
times = {label: [] for label, _ in queries}
lines = {}
# Round robin, so a burst of load elsewhere on the machine hits every query alike; the first
# round warms the page cache and is not counted.
for round in range(runs + 1):
    for label, args in queries:
        t = time.perf_counter()
        out = subprocess.run([gantry, "q", "--noheader"] + args, capture_output=True, text=True)
        elapsed = (time.perf_counter() - t) * 1000
        if out.returncode != 0:
            sys.exit("gantry q %s failed: %s" % (" ".join(args), out.stderr))
        lines[label] = len(out.stdout.splitlines())
        if round > 0:
            times[label].append(elapsed)
print("%-52s %8s %8s %8s %6s %8s %8s" % ("query", "p50 ms", "p95 ms", "max ms", "lines",
                                         "x peer", "x 50ms"))
peer = statistics.median(times[queries[0][0]])
for label, _ in queries:
    t = sorted(times[label])
    p50 = statistics.median(t)
    print("%-52s %8.1f %8.1f %8.1f %6d %8.2f %8.2f" % (label, p50, t[int(0.95 * (len(t) - 1))],
                                                      t[-1], lines[label], p50 / peer, p50 / 50))
PY
