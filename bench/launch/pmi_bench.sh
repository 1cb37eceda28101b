#!/bin/bash
# PMI microbenchmark: put, fence, get-all at N ranks, three ways:
#   gantry+shm   gantry run, libgantry-pmi.so serving Gets from the node's shared memory
#   gantry+wire  gantry run, libgantry-pmi.so with GANTRY_PMI_NO_SHM=1 (every Get a round trip)
#   hydra+wire   mpiexec.hydra serving the same binary over its PMI-1 wire protocol
# Usage: bench/launch/pmi_bench.sh [BUILD_DIR]   (default build-launch/b)
# Prints per configuration the mean over ranks of each phase and the steady-state Get cost.
set -u
BUILD=${1:-$(dirname "$0")/../../build-launch/b}
GANTRY=$BUILD/apps/gantry/gantry
BENCH=$BUILD/bench/launch/gantry_pmi_bench
NS=${NS:-"8 32 128"}

summarize() {  # label N < rank lines
  awk -v label="$1" -v n="$2" '
    { put += $4; fence += $6; getall += $8; each += $10; shm = $12; count++ }
    END { if (count != n) { printf "%-12s %5d  FAILED (%d of %d ranks reported)\n", label, n, count, n; exit }
          printf "%-12s %5d %9.1f %10.1f %11.1f %12.3f %4d\n", label, n, put/count, fence/count,
                 getall/count, each/count/1000, shm }'
}

printf "%-12s %5s %9s %10s %11s %12s %4s\n" config N put_us fence_us getall_us get_us_each shm
for n in $NS; do
  "$GANTRY" run -n "$n" "$BENCH" | summarize gantry+shm "$n"
  GANTRY_PMI_NO_SHM=1 "$GANTRY" run -n "$n" "$BENCH" | summarize gantry+wire "$n"
  mpiexec.hydra -n "$n" "$BENCH" | summarize hydra+wire "$n"
done
