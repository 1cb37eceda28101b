/* Each rank checks that the world has the expected size (argv[1]) and that an Allreduce of
 * ranks sums to N(N-1)/2; prints one line per rank. Exit 1 on any mismatch. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = -1, size = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int expected = argc > 1 ? atoi(argv[1]) : size;
  long value = rank, sum = -1;
  MPI_Allreduce(&value, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  long want = (long)size * (size - 1) / 2;
  int ok = size == expected && sum == want;
  printf("rank %d of %d sum %ld %s\n", rank, size, sum, ok ? "ok" : "WRONG");
  fflush(stdout);
  MPI_Finalize();
  return ok ? 0 : 1;
}
