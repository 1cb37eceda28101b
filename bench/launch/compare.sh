#!/bin/bash
# Wall time of `gantry run` against mpiexec.hydra (MPICH) and mpirun (Open MPI).
# Usage: bench/launch/compare.sh [GANTRY_BINARY] [REPEATS]
# Prints, for N in 1 8 32 128, the best-of-REPEATS wall time of each launcher and the ratios.
# Run by hand (not in ctest); the machine should be otherwise idle. A run that fails or takes
# longer than TIMEOUT seconds (default 120) is shown as FAIL.
set -u
GANTRY=${1:-$(dirname "$0")/../../build-launch/b/apps/gantry/gantry}
REPEATS=${2:-5}
NS=${NS:-"1 8 32 128"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SRC=$(dirname "$0")/../../tests/integration/mpi/allreduce.c
mpicc.mpich -O2 -o "$WORK/allreduce_mpich" "$SRC"
mpicc.openmpi -O2 -o "$WORK/allreduce_ompi" "$SRC"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_mpi_yield_when_idle=1 OMPI_MCA_btl_vader_single_copy_mechanism=none

best() {  # best wall time in seconds of REPEATS runs of "$@"
  local best=999 t
  for _ in $(seq "$REPEATS"); do
    local start=$(date +%s.%N)
    timeout "${TIMEOUT:-120}" "$@" >/dev/null 2>&1 </dev/null || { echo "FAIL"; return; }
    t=$(echo "$(date +%s.%N) - $start" | bc)
    best=$(echo "if ($t < $best) $t else $best" | bc)
  done
  printf "%.3f" "$best"
}
ratio() { if [[ $1 == FAIL || $2 == FAIL ]]; then echo "-"; else printf "%.2f" "$(echo "$1 / $2" | bc -l)"; fi; }

printf "%-28s %5s %9s %9s %9s %8s %8s\n" workload N gantry hydra mpirun g/hydra g/mpirun
for n in $NS; do
  g=$(best "$GANTRY" run -n "$n" /bin/true)
  h=$(best mpiexec.hydra -n "$n" /bin/true)
  o=$(best mpirun.openmpi --oversubscribe -n "$n" /bin/true)
  printf "%-28s %5d %9s %9s %9s %8s %8s\n" /bin/true "$n" "$g" "$h" "$o" "$(ratio "$g" "$h")" \
    "$(ratio "$g" "$o")"
done
for n in $NS; do
  g=$(best "$GANTRY" run -n "$n" "$WORK/allreduce_mpich" "$n")
  h=$(best mpiexec.hydra -n "$n" "$WORK/allreduce_mpich" "$n")
  printf "%-28s %5d %9s %9s %9s %8s %8s\n" "MPI allreduce (MPICH)" "$n" "$g" "$h" "" \
    "$(ratio "$g" "$h")" ""
done
for n in $NS; do
  g=$(best "$GANTRY" run -n "$n" "$WORK/allreduce_ompi" "$n")
  o=$(best mpirun.openmpi --oversubscribe -n "$n" "$WORK/allreduce_ompi" "$n")
  printf "%-28s %5d %9s %9s %9s %8s %8s\n" "MPI allreduce (Open MPI)" "$n" "$g" "" "$o" "" \
    "$(ratio "$g" "$o")"
done
