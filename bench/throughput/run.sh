#!/usr/bin/env bash
# Throughput of no-op jobs through `gantry up`, end to end (submit to DONE, every transition
# durable), as one array and as single submissions, against `seq N | xargs -P<cores> -n1 SCRIPT`
# running the same no-op script (`#!/bin/bash` + `true`) that the jobs run, and against a private single-node SLURM (bench/slurm/throughput.sh), both measured in the
# same run. Prints jobs/s and the ratios. A benchmark, not a test: nothing is asserted.
set -euo pipefail
usage() {
  cat <<EOF
Usage: bench/throughput/run.sh [N] [--no-slurm] [--slurm-n=M] [GANTRY UP ARGS...]
  N             jobs per measurement (default 10000)
  --no-slurm    skip the SLURM measurement (it installs slurm-wlm and munge if missing, needs
                root, and runs at some tens of jobs/s: N=10000 takes minutes)
  --slurm-n=M   jobs per SLURM measurement (default N); ratios compare jobs/s
  other args    passed to \`gantry up\` (e.g. --sync-normal)
GANTRY_BIN names the gantry binary (default build/apps/gantry/gantry).
EOF
}
root="$(cd "$(dirname "$0")/../.." && pwd)"
n=10000 slurm=1 slurm_n='' up_args=()
case "${1:-}" in [0-9]*) n=$1; shift ;; esac
for arg in "$@"; do
  case $arg in
    -h | --help) usage; exit 0 ;;
    --no-slurm) slurm=0 ;;
    --slurm-n=*) slurm_n=${arg#*=} ;;
    *) up_args+=("$arg") ;;
  esac
done
gantry="${GANTRY_BIN:-$root/build/apps/gantry/gantry}"
[ -x "$gantry" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
cores="$(nproc)"

now() { date +%s.%N; }
rate() { python3 -c "import sys; n,t=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/t:.0f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.3f}')" "$1" "$2"; }

export GANTRY_HOME="$(mktemp -d /tmp/gantry-bench.XXXXXX)"
# The job every measurement runs: the peer and Gantry start the same bash script.
noop="$GANTRY_HOME/noop.sh"
printf '#!/bin/bash\ntrue\n' >"$noop"
chmod +x "$noop"
t0=$(now); seq "$n" | xargs -P"$cores" -n1 "$noop"; t1=$(now)
xargs_time=$(python3 -c "print($t1-$t0)")
xargs_rate=$(rate "$n" "$xargs_time")
echo "xargs -P$cores -n1 noop.sh: $n in ${xargs_time}s = $xargs_rate/s"

"$gantry" up --no-tcp ${up_args[@]+"${up_args[@]}"} >"$GANTRY_HOME/up.log" 2>&1 &
up_pid=$!
stop_gantry() { [ -z "$up_pid" ] || { kill "$up_pid" 2>/dev/null; wait "$up_pid" 2>/dev/null; up_pid=; }; }
trap 'stop_gantry; rm -rf "$GANTRY_HOME"' EXIT
for _ in $(seq 100); do [ -S "$GANTRY_HOME/gantry.sock" ] && break; sleep 0.1; done
cd "$GANTRY_HOME"

t0=$(now)
id=$("$gantry" submit --parsable --array="0-$((n - 1))" -o /dev/null "$noop")
"$gantry" wait -q "$id"
t1=$(now)
array_time=$(python3 -c "print($t1-$t0)")
array_rate=$(rate "$n" "$array_time")
echo "gantry array of $n: ${array_time}s = $array_rate jobs/s, ratio to xargs $(ratio "$array_rate" "$xargs_rate")"

t0=$(now)
seq "$n" | xargs -P"$cores" -I{} "$gantry" submit --parsable -o /dev/null "$noop" > ids.txt
xargs "$gantry" wait -q < ids.txt
t1=$(now)
single_time=$(python3 -c "print($t1-$t0)")
single_rate=$(rate "$n" "$single_time")
echo "gantry $n single submissions (CLI, $cores in parallel): ${single_time}s = $single_rate jobs/s, ratio to xargs $(ratio "$single_rate" "$xargs_rate")"

[ "$slurm" = 1 ] || exit 0
# Gantry goes down first so that it does not share the cores with SLURM.
stop_gantry
"$root/bench/slurm/throughput.sh" "${slurm_n:-$n}" --rates-to="$GANTRY_HOME/slurm-rates.txt"
slurm_array_rate=$(awk '$1 == "array" {print $2}' "$GANTRY_HOME/slurm-rates.txt")
slurm_single_rate=$(awk '$1 == "single" {print $2}' "$GANTRY_HOME/slurm-rates.txt")
echo "gantry array: ratio to SLURM array $(ratio "$array_rate" "$slurm_array_rate")"
echo "gantry single submissions: ratio to SLURM single submissions $(ratio "$single_rate" "$slurm_single_rate")"
