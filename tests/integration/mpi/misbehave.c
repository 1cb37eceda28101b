/* An MPI program that fails on purpose, for the launcher's failure tests.
 *   misbehave abort N   rank 1 calls MPI_Abort(MPI_COMM_WORLD, N); the others wait in a barrier
 *   misbehave kill      rank 1 kills itself with SIGKILL; the others wait in a barrier */
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  printf("rank %d of %d up\n", rank, size);
  fflush(stdout);
  if (rank == 1 % size) {
    if (argc > 1 && strcmp(argv[1], "abort") == 0) {
      MPI_Abort(MPI_COMM_WORLD, argc > 2 ? atoi(argv[2]) : 1);
    } else if (argc > 1 && strcmp(argv[1], "kill") == 0) {
      raise(SIGKILL);
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
