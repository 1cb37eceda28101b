#!/usr/bin/env bash
# Brings up the benchmarks' private single-node SLURM (bench/slurm/lib.sh) and keeps it up
# until interrupted, for trying things by hand; takes it down by PID on exit.
set -euo pipefail
case "${1:-}" in
  -h | --help)
    echo "Usage: bench/slurm/up.sh [CPUS]   (default 64; Ctrl-C takes SLURM down)"
    echo "Prints the SLURM_CONF to export in another shell; SLURM_BENCH_KEEP=1 keeps the logs."
    exit 0 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/slurm/lib.sh
source "$here/lib.sh"
sleep_pid=''
trap '[ -z "$sleep_pid" ] || kill "$sleep_pid"; slurm_down' EXIT
trap 'exit 130' INT TERM
slurm_up "${1:-64}"
echo "export SLURM_CONF=$SLURM_CONF"
sleep infinity &
sleep_pid=$!
wait "$sleep_pid"
