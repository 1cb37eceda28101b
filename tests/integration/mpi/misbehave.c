/* An MPI program that fails on purpose, for the launcher's failure tests.
 *   misbehave abort N     rank 1 calls MPI_Abort(MPI_COMM_WORLD, N); the others wait in a barrier
 *   misbehave kill        rank 1 kills itself with SIGKILL; the others wait in a barrier
 *   misbehave exit        rank 1 exits 0 without MPI_Finalize; the others wait in a barrier
 *   misbehave exit-nowait rank 1 exits 0 without MPI_Finalize; the others finalize at once
 *   misbehave hang        every rank prints "rank R pid P" after a barrier, then sleeps 60 s
 *   misbehave usr1        every rank waits for SIGUSR1, prints "rank R got SIGUSR1", finalizes
 *   misbehave spawn [return] MPI_Comm_spawn of one more process with MPI_ERRORS_RETURN
 *                       (unsupported: the job must fail, not wait for the ranks stuck in the spawn)
 *   misbehave spawn fatal the same with the default handler, MPI_ERRORS_ARE_FATAL */
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1 = 0;
static void OnUsr1(int sig) { (void)sig; got_usr1 = 1; }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "usr1") == 0) signal(SIGUSR1, OnUsr1);
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  printf("rank %d of %d up\n", rank, size);
  fflush(stdout);
  if (strcmp(mode, "hang") == 0 || strcmp(mode, "usr1") == 0) {
    MPI_Barrier(MPI_COMM_WORLD);
    printf("rank %d pid %d\n", rank, (int)getpid());
    fflush(stdout);
    for (int i = 0; i < 600 && !got_usr1; ++i) usleep(100 * 1000);
    if (got_usr1) printf("rank %d got SIGUSR1\n", rank);
    fflush(stdout);
  }
  if (strcmp(mode, "spawn") == 0) {
    /* A careful program: errors come back (rank 0 sees MPI_ERR_SPAWN) and it goes on to
     * finalize, while the other ranks wait in the spawn for the root forever. */
    MPI_Comm child;
    int errors[1];
    if (argc <= 2 || strcmp(argv[2], "fatal") != 0) {
      MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    }
    int rc = MPI_Comm_spawn(argv[0], MPI_ARGV_NULL, 1, MPI_INFO_NULL, 0, MPI_COMM_WORLD, &child,
                            errors);
    printf("rank %d spawn %s\n", rank, rc == MPI_SUCCESS ? "succeeded" : "failed");
    fflush(stdout);
  }
  if (rank == 1 % size) {
    if (strcmp(mode, "abort") == 0) {
      MPI_Abort(MPI_COMM_WORLD, argc > 2 ? atoi(argv[2]) : 1);
    } else if (strcmp(mode, "kill") == 0) {
      raise(SIGKILL);
    } else if (strcmp(mode, "exit") == 0 || strcmp(mode, "exit-nowait") == 0) {
      exit(0);
    }
  }
  if (strcmp(mode, "exit-nowait") != 0) MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
