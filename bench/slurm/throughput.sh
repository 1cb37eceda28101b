#!/usr/bin/env bash
# Throughput of no-op jobs through a private single-node SLURM (slurm-wlm 22.05 from Debian),
# submit to done, as one job array and as single sbatch submissions (nproc in parallel): the
# peer that bench/throughput/run.sh compares Gantry with. A benchmark, not a test.
set -euo pipefail
usage() {
  cat <<EOF
Usage: bench/slurm/throughput.sh [N] [--cpus=C] [--rates-to=FILE]
  N               jobs per measurement (default 1000)
  --cpus=C        CPUs the node advertises (default 64; SlurmdParameters=config_overrides)
  --rates-to=FILE also write "array <jobs/s>" and "single <jobs/s>" lines to FILE
Brings up munged, slurmctld and slurmd in a temp dir (installing slurm-wlm and munge with
apt-get if missing; needs root), runs \`sbatch --array=0-(N-1) --wrap true\` and N times
\`sbatch --wrap true\`, waits until squeue is empty, prints jobs/s, and takes SLURM down by PID.
EOF
}
n=1000 cpus=64 rates_to=""
for arg in "$@"; do
  case $arg in
    -h | --help) usage; exit 0 ;;
    --cpus=*) cpus=${arg#*=} ;;
    --rates-to=*) rates_to=${arg#*=} ;;
    [0-9]*) n=$arg ;;
    *) usage >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/slurm/lib.sh
source "$here/lib.sh"
trap slurm_down EXIT
trap 'exit 130' INT TERM
slurm_up "$cpus"
cd "$SLURM_BENCH_DIR/jobs"
cores="$(nproc)"

now() { date +%s.%N; }
rate() { python3 -c "import sys; n,t=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/t:.0f}')" "$1" "$2"; }

# Polls until squeue shows no pending or running job; progress on stderr. Fails if the count
# stops moving for two minutes (a drained node, say), showing the logs.
wait_empty() {
  local left last=-1 still=0
  while :; do
    left=$(squeue -h -r -o %i | wc -l)
    [ "$left" -eq 0 ] && break
    if [ "$left" -ne "$last" ]; then last=$left still=0; else still=$((still + 1)); fi
    if [ "$still" -ge 600 ]; then
      slurm_log "stuck at $left jobs: $(sinfo -N; tail -5 "$SLURM_BENCH_DIR"/slurm*.log)"
      return 1
    fi
    if [ -t 2 ]; then printf '\rslurm: %d jobs left   ' "$left" >&2; fi
    sleep 0.2
  done
  if [ -t 2 ]; then printf '\r%30s\r' '' >&2; fi
}

# "N COMPLETED", or the mix of end states if some jobs did not complete. Finished jobs stay in
# slurmctld's memory for MinJobAge (300 s), long enough to ask.
end_states() { squeue -h -r -t all -o %T "$@" | sort | uniq -c | awk '{printf "%s%s %s", s, $1, $2; s=", "}'; }

# Warm-up, not timed: slurmctld's first scheduling pass comes about 3 s after it starts.
sbatch --parsable -o /dev/null --wrap true >/dev/null
wait_empty

t0=$(now)
array_id=$(sbatch --parsable --array="0-$((n - 1))" -o /dev/null --wrap true)
wait_empty
t1=$(now)
array_time=$(python3 -c "print(f'{$t1-$t0:.3f}')")
array_rate=$(rate "$n" "$array_time")
echo "slurm array of $n: ${array_time}s = $array_rate jobs/s ($(end_states -j "$array_id"))"

t0=$(now)
seq "$n" | xargs -P"$cores" -I{} sbatch --parsable -o /dev/null --wrap true >ids.txt
wait_empty
t1=$(now)
single_time=$(python3 -c "print(f'{$t1-$t0:.3f}')")
single_rate=$(rate "$n" "$single_time")
echo "slurm $n single submissions (sbatch, $cores in parallel): ${single_time}s = $single_rate jobs/s" \
  "($(end_states -j "$(cut -d';' -f1 ids.txt | paste -sd,)"))"

if [ -n "$rates_to" ]; then printf 'array %s\nsingle %s\n' "$array_rate" "$single_rate" >"$rates_to"; fi
