#!/usr/bin/env bash
# `gantry run` inside a Gantry job: the job's -n is the default rank count and the limit,
# and an MPICH program started that way sees the whole world.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

command -v mpicc.mpich >/dev/null ||
  skip_test "mpicc.mpich is not installed (apt-get install mpich libmpich-dev)"
start_gantry
work="$TEST_DIR/work"
mkdir -p "$work" && cd "$work"
mpicc.mpich -o allreduce "$here/../mpi/allreduce.c" || fail "cannot compile allreduce.c"

cat > mpi.sh <<JOB
#!/bin/bash
#SBATCH -n 2
#SBATCH -o mpi.out
"$GANTRY_BIN" run -l ./allreduce 2
JOB
id=$(g submit --parsable mpi.sh) || fail "submit failed"
g wait -q "$id"
expect_eq "$?" "0" "the MPI job ends with status 0"
out=$(cat mpi.out)
expect_contains "$out" "0: rank 0 of 2 sum 1 ok" "rank 0 sees a world of 2 and the right sum"
expect_contains "$out" "1: rank 1 of 2 sum 1 ok" "rank 1 sees a world of 2 and the right sum"

cat > toomany.sh <<JOB
#!/bin/bash
#SBATCH -n 1
#SBATCH -o toomany.out
"$GANTRY_BIN" run -n 3 /bin/true
JOB
id=$(g submit --parsable toomany.sh) || fail "submit failed"
g wait -q "$id"
expect_eq "$?" "2" "asking for more ranks than the job's -n fails"
expect_contains "$(cat toomany.out)" "allocated 1 task(s)" "and says what was allocated"
finish
