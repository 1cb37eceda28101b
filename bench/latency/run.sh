#!/usr/bin/env bash
# Responsiveness under load: p50/p99 of `gantry q` and `gantry status ID` from many concurrent
# clients while no-op jobs are submitted and run through `gantry up` as fast as it goes.
# The peer is the same server idle, measured in the same run. A benchmark: nothing asserted.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/latency/run.sh [OPTIONS]
Starts `gantry up --no-tcp` in a temp GANTRY_HOME, measures q/status latency idle, then
starts a job load and measures it again (once per think time), printing p50/p90/p99/max,
the jobs/s the load achieved in each window, and the ratio loaded/idle.
  --build DIR        build directory with apps/gantry/gantry and bench/latency/latency_bench
                     (default $BUILD or <repo>/build)
  --clients N        concurrent polling clients (default 100)
  --seconds S        loaded window per think time (default 20)
  --idle-seconds S   idle window per think time (default 5)
  --think-ms LIST    comma-separated mean pauses after each request per client: 0 is a
                     closed-loop flood, 10 is 100 scripts polling hard, 1000 is 100 people
                     running `watch -n1` (default 1000,10,0: lightest first)
  --load MODE        array: arrays of --array-size no-op jobs back to back, two in flight;
                     single: --workers loops of `gantry submit --wait --wrap true`;
                     both; none (default array)
  --array-size N     tasks per array (default 500)
  --workers N        parallel single-submission loops (default 4)
  --sync-normal      pass --sync-normal to gantry up
  --json             one JSON object per window instead of text
  -h, --help         this text
EOF
}

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD:-$root/build}"
clients=100 seconds=20 idle_seconds=5 think_list=1000,10,0 load=array array_size=500 workers=4
up_args=() json=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --idle-seconds) idle_seconds="$2"; shift ;;
    --think-ms) think_list="$2"; shift ;;
    --load) load="$2"; shift ;;
    --array-size) array_size="$2"; shift ;;
    --workers) workers="$2"; shift ;;
    --sync-normal) up_args+=(--sync-normal) ;;
    --json) json=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$load" in array|single|both|none) ;; *) echo "run.sh: bad --load $load" >&2; exit 2 ;; esac
gantry="$build/apps/gantry/gantry"
bench="$build/bench/latency/latency_bench"
for b in "$gantry" "$bench"; do
  [ -x "$b" ] || { echo "run.sh: $b missing: ninja -C $build gantry latency_bench" >&2; exit 1; }
done

export GANTRY_HOME="$(mktemp -d /tmp/gantry-latency.XXXXXX)"
load_pids=()
up_pid=""
# The load loops stop at the stop file, or when their gantry command fails because the server
# has gone; killing a loop's shell would leave its running `gantry wait` behind.
cleanup() {
  touch "$GANTRY_HOME/stop"
  if [ -n "$up_pid" ]; then kill "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; fi
  for p in "${load_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$GANTRY_HOME"
}
trap cleanup EXIT
"$gantry" up --no-tcp "${up_args[@]}" >"$GANTRY_HOME/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 100); do [ -S "$GANTRY_HOME/gantry.sock" ] && break; sleep 0.1; done
[ -S "$GANTRY_HOME/gantry.sock" ] || { cat "$GANTRY_HOME/up.log" >&2; exit 1; }
cd "$GANTRY_HOME"
done_log="$GANTRY_HOME/done.log"  # "<epoch seconds> <jobs finished>" per completion
: >"$done_log"

# The job `gantry status` asks about: one that ran, so the reply carries an attempt.
status_job=$("$gantry" submit --parsable -o /dev/null --wrap true)
"$gantry" wait -q "$status_job"

array_load() {
  local prev="" id
  while [ ! -e "$GANTRY_HOME/stop" ]; do
    id=$("$gantry" submit --parsable --array="0-$((array_size - 1))" -o /dev/null --wrap true) || break
    if [ -n "$prev" ]; then
      "$gantry" wait -q "$prev" || break
      echo "$EPOCHREALTIME $array_size" >>"$done_log"
    fi
    prev=$id
  done
}
single_load() {
  while [ ! -e "$GANTRY_HOME/stop" ]; do
    "$gantry" submit --wait --quiet -o /dev/null --wrap true >/dev/null || break
    echo "$EPOCHREALTIME 1" >>"$done_log"
  done
}
# Jobs finished in the done log between two epoch times, per second.
load_rate() {
  awk -v a="$1" -v b="$2" '$1 >= a && $1 < b { n += $2 } END { printf "%.0f %d\n", n / (b - a), n }' "$done_log"
}
describe_load() {
  case "$load" in
    array) echo "arrays of $array_size no-op jobs back to back" ;;
    single) echo "$workers loops of single 'gantry submit --wait --wrap true'" ;;
    both) echo "arrays of $array_size back to back + $workers single-submission loops" ;;
    none) echo "no load" ;;
  esac
}
# Runs latency_bench; prints its text (or its JSON with the load fields added).
measure() {  # label think_ms seconds
  local t0 t1 out rate
  t0=$EPOCHREALTIME
  out=$("$bench" --server "unix://$GANTRY_HOME/gantry.sock" --job "$status_job" \
    --clients "$clients" --think-ms "$2" --seconds "$3" --label "$1" --json)
  t1=$EPOCHREALTIME
  rate=$(load_rate "$t0" "$t1")
  python3 - "$out" "$rate" "$json" "$(describe_load)" <<'EOF'
import json, sys
r = json.loads(sys.argv[1]); rate, n = sys.argv[2].split(); as_json = sys.argv[3] == "1"
r["load"] = sys.argv[4] if r["label"].startswith("loaded") else "none"
r["load_jobs_per_second"] = int(rate) if r["load"] != "none" else 0
r["load_jobs"] = int(n) if r["load"] != "none" else 0
if as_json:
    print(json.dumps(r)); sys.exit()
print(f'{r["label"]}: {r["clients"]} clients, think {r["think_ms"]} ms, {r["seconds"]:.1f} s; '
      f'load: {r["load"]}' + (f', {rate} jobs/s ({n} jobs)' if r["load"] != "none" else ''))
print(f'  {"request":8} {"count":>8} {"req/s":>8} {"p50_ms":>8} {"p90_ms":>8} {"p99_ms":>8} '
      f'{"max_ms":>8} {"errors":>7} {"avg_bytes":>9}')
for k in ("q", "status"):
    s = r[k]
    print(f'  {k:8} {s["count"]:8} {s["per_second"]:8.0f} {s["p50_ms"]:8.2f} {s["p90_ms"]:8.2f} '
          f'{s["p99_ms"]:8.2f} {s["max_ms"]:8.1f} {s["errors"]:7} {s["mean_bytes"]:9.0f}')
print(f'  p99 under 20 ms: {"yes" if r["p99_under_20ms"] else "no"}')
EOF
  echo "$out" >"$GANTRY_HOME/last.json"
}

# CPU already busy (other work on the machine) over one second, before any load: the
# figures are only comparable between runs where this is low.
busy_before() {
  local a b
  a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  awk -v u="$((b[1] + b[2] + b[3] - a[1] - a[2] - a[3]))" \
    -v t="$((b[1] + b[2] + b[3] + b[4] + b[5] - a[1] - a[2] - a[3] - a[4] - a[5]))" \
    'BEGIN { printf "%.0f%%", t ? 100 * u / t : 0 }'
}
IFS=, read -r -a thinks <<<"$think_list"
[ "$json" = 1 ] || echo "latency bench: $(nproc) cores ($(busy_before) busy before start)," \
  "$clients clients, gantry up --no-tcp ${up_args[*]}, status of job $status_job"
declare -A idle_p99
for think in "${thinks[@]}"; do
  measure "idle-think$think" "$think" "$idle_seconds"
  idle_p99[$think]=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["q"]["p99_ms"], r["status"]["p99_ms"])' "$GANTRY_HOME/last.json")
done
[ "$load" = none ] && exit 0

if [ "$load" = array ] || [ "$load" = both ]; then array_load 2>>"$GANTRY_HOME/load.err" & load_pids+=($!); fi
if [ "$load" = single ] || [ "$load" = both ]; then
  for _ in $(seq "$workers"); do single_load 2>>"$GANTRY_HOME/load.err" & load_pids+=($!); done
fi
sleep 8
t1=$EPOCHREALTIME
read -r alone_rate alone_n < <(load_rate "$(python3 -c "print($t1 - 6)")" "$t1")
if [ "$json" = 1 ]; then
  echo "{\"label\": \"load-alone\", \"load\": \"$(describe_load)\"," \
    "\"load_jobs_per_second\": $alone_rate, \"load_jobs\": $alone_n}"
else
  echo "load alone (no pollers, 6 s): $(describe_load): $alone_rate jobs/s"
fi
for think in "${thinks[@]}"; do
  measure "loaded-think$think" "$think" "$seconds"
  if [ "$json" != 1 ]; then
    python3 - "$GANTRY_HOME/last.json" ${idle_p99[$think]} <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); q0, s0 = float(sys.argv[2]), float(sys.argv[3])
ratio = lambda a, b: f'{a / b:.1f}x' if b > 0 else 'n/a'
print(f'  p99 loaded/idle: q {ratio(r["q"]["p99_ms"], q0)}, status {ratio(r["status"]["p99_ms"], s0)}')
EOF
  fi
done
