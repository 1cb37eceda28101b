#!/usr/bin/env bash
# Throughput of no-op jobs through `gantry up`, end to end (submit to DONE, every transition
# durable), as one array and as single submissions, against `seq N | xargs -P<cores> -n1 true`
# measured in the same run. Usage: bench/throughput/run.sh [N] [--sync-normal]
# Prints jobs/s and the ratio to xargs. A benchmark, not a test: nothing is asserted.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-10000}"
shift || true
up_args=("$@")
gantry="${GANTRY_BIN:-$root/build/apps/gantry/gantry}"
[ -x "$gantry" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
cores="$(nproc)"

now() { date +%s.%N; }
rate() { python3 -c "import sys; n,t=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/t:.0f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.3f}')" "$1" "$2"; }

t0=$(now); seq "$n" | xargs -P"$cores" -n1 true; t1=$(now)
xargs_time=$(python3 -c "print($t1-$t0)")
xargs_rate=$(rate "$n" "$xargs_time")
echo "xargs -P$cores -n1 true: $n in ${xargs_time}s = $xargs_rate/s"

export GANTRY_HOME="$(mktemp -d /tmp/gantry-bench.XXXXXX)"
"$gantry" up --no-tcp "${up_args[@]}" >"$GANTRY_HOME/up.log" 2>&1 &
up_pid=$!
trap 'kill "$up_pid" 2>/dev/null; wait "$up_pid" 2>/dev/null; rm -rf "$GANTRY_HOME"' EXIT
for _ in $(seq 100); do [ -S "$GANTRY_HOME/gantry.sock" ] && break; sleep 0.1; done
cd "$GANTRY_HOME"

t0=$(now)
id=$("$gantry" submit --parsable --array="0-$((n - 1))" -o /dev/null --wrap true)
"$gantry" wait -q "$id"
t1=$(now)
array_time=$(python3 -c "print($t1-$t0)")
array_rate=$(rate "$n" "$array_time")
echo "gantry array of $n: ${array_time}s = $array_rate jobs/s, ratio to xargs $(ratio "$array_rate" "$xargs_rate")"

t0=$(now)
seq "$n" | xargs -P"$cores" -I{} "$gantry" submit --parsable -o /dev/null --wrap true > ids.txt
xargs "$gantry" wait -q < ids.txt
t1=$(now)
single_time=$(python3 -c "print($t1-$t0)")
single_rate=$(rate "$n" "$single_time")
echo "gantry $n single submissions (CLI, $cores in parallel): ${single_time}s = $single_rate jobs/s, ratio to xargs $(ratio "$single_rate" "$xargs_rate")"
