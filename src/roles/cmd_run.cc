// gantry run: the parallel launcher's command line (docs/run.md). Thin: parses argv into
// launch::LaunchOptions and calls launch::Launch.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "launch/launcher.h"
#include "launch/run_options.h"

namespace gantry::roles {
namespace {

constexpr char kUsage[] =
    "Usage: gantry run -n N [--ppn P] [--label] [--mpi MODE] [--no-topology] [--no-shm]\n"
    "                  [--pmi-port] [--kill-grace MS] [-genv NAME VALUE] [-x NAME[=VALUE]]\n"
    "                  [--] PROGRAM [ARGS...]\n\n"
    "Starts N ranks of PROGRAM on this machine with a PMI server for MPI.\n"
    "Every option taking a value also takes it as --option=VALUE.\n\n"
    "  -n, -np, --ntasks N  number of ranks (inside a job: default and at most its -n)\n"
    "  --ppn, -ppn P      ranks per node (standalone: emulates ceil(N/P) nodes)\n"
    "  -l, --label        prefix every output line with the rank ('3: ...')\n"
    "  --mpi MODE         auto (default), pmi1 (MPICH), pmix (Open MPI), flux (Open MPI\n"
    "                     through libgantry-pmi.so), none (no PMI: independent singletons)\n"
    "  --no-topology      do not hand the ranks a topology discovered once (hwloc)\n"
    "  --no-shm           serve PMI gets over the socket only (no shared-memory store)\n"
    "  --pmi-port         PMI-1 over TCP on 127.0.0.1 (PMI_PORT, PMI_ID) instead of PMI_FD\n"
    "  --kill-grace MS    after a failure, SIGTERM then SIGKILL after MS (default 2000)\n"
    "  -genv NAME VALUE   set NAME=VALUE for every rank (as mpiexec.hydra)\n"
    "  -x NAME[=VALUE]    set NAME for every rank, from our environment without VALUE\n"
    "                     (as mpirun)\n\n"
    "SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM (and the other signals that would end gantry)\n"
    "are forwarded to every rank and end the job; SIGUSR1 and SIGUSR2 are forwarded.\n\n"
    "Exit status: 0 if every rank exited 0, else the first non-zero status (128+signal\n"
    "for a killed rank, the code given to MPI_Abort, 1 for a PMI protocol error or a rank\n"
    "that exited without finalizing, 141 when our output was closed); 2 for a usage error,\n"
    "125 if the launcher itself failed, 126 if PROGRAM cannot be run, 127 if it is not found.\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gantry run: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int RunRun(int argc, char** argv) {
  auto parsed = launch::ParseRunArguments(std::vector<std::string>(argv + 1, argv + argc),
                                          [](const char* name) { return std::getenv(name); });
  if (!parsed) return UsageError(parsed.error().message());
  if (parsed->help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  launch::LaunchOptions options = std::move(parsed->options);
  bool have_n = parsed->have_size;
  // Inside a Gantry job (or a SLURM allocation) the job's task count is the default and the
  // limit, as srun does: the allocation's cores were reserved for that many tasks.
  const char* allocated = std::getenv("GANTRY_NTASKS");
  if (allocated == nullptr) allocated = std::getenv("SLURM_NTASKS");
  if (allocated != nullptr) {
    auto tasks = ParseInt(allocated);
    if (tasks && *tasks > 0) {
      if (!have_n) {
        options.size = static_cast<int>(*tasks);
        have_n = true;
      } else if (options.size > *tasks) {
        return UsageError("this job was allocated " + std::to_string(*tasks) +
                          " task(s) (-n at submission) and cannot start " +
                          std::to_string(options.size));
      }
    }
  }
  if (!have_n) return UsageError("-n N is required (outside a job)");
  if (options.argv.empty()) return UsageError("no program to run");
  auto status = launch::Launch(options);
  if (!status) {
    std::fprintf(stderr, "gantry run: %s\n", status.error().message().c_str());
    // A combination of options the launcher refuses is a usage error; anything else is
    // the launcher failing to set the job up (not the program: that is 126/127).
    return status.error().code() == ErrorCode::kInvalidArgument ? 2
                                                                   : launch::kExitLauncherFailure;
  }
  return *status;
}

}  // namespace gantry::roles
