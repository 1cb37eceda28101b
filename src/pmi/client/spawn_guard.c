/* libgantry-spawn-guard.so: preloaded (LD_PRELOAD) into the ranks of `gantry run` on the PMI-1
 * and `--mpi flux` paths, where MPI_Comm_spawn is unsupported. Open MPI's flux component
 * refuses a spawn inside the root rank without a PMI request, so with MPI_ERRORS_RETURN the
 * root goes on while the other ranks wait in MPI_Comm_spawn for it forever. The guard takes
 * the call on whichever rank makes it and sends the launcher PMI-1's own spawn request
 * ("mcmd=spawn"), which ends the job as a PMIx spawn upcall does (docs/protocols/pmi.md).
 *
 * The functions take no declared parameters: the guard never returns and never reads its
 * arguments, and on the SysV ABIs the caller owns the argument registers and stack, so one
 * definition serves the C bindings of both MPICH (int handles) and Open MPI (pointers). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GANTRY_GUARD_EXPORT __attribute__((visibility("default")))

static void Refuse(const char* function) __attribute__((noreturn));

static void Refuse(const char* function) {
  const char* fd_text = getenv("PMI_FD");
  if (fd_text != NULL && *fd_text != '\0') {
    int fd = atoi(fd_text);
    static const char kRequest[] = "mcmd=spawn\n";
    if (write(fd, kRequest, sizeof kRequest - 1) == (ssize_t)(sizeof kRequest - 1)) {
      /* The launcher ends the job; wait for it rather than race it with an exit status. */
      char buffer[256];
      for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n == 0 || (n < 0 && errno != EINTR)) break;
      }
    }
  }
  /* No PMI connection to ask through (PMI_PORT, or already closed): fail the rank, which
   * fails the job. */
  fprintf(stderr, "gantry run: %s is not supported; ending the job\n", function);
  _exit(1);
}

#define GANTRY_GUARD(name) \
  GANTRY_GUARD_EXPORT int name(void) { Refuse(#name); }

GANTRY_GUARD(MPI_Comm_spawn)
GANTRY_GUARD(PMPI_Comm_spawn)
GANTRY_GUARD(MPI_Comm_spawn_multiple)
GANTRY_GUARD(PMPI_Comm_spawn_multiple)
