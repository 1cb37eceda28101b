// gantry run: the parallel launcher's command line (docs/run.md). Thin: parses argv into
// launch::LaunchOptions and calls launch::Launch.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "base/strings.h"
#include "launch/launcher.h"

namespace gantry::cli {
namespace {

constexpr char kUsage[] =
    "Usage: gantry run -n N [--ppn P] [--label] [--mpi MODE] [--no-topology] [--no-shm]\n"
    "                  [--pmi-port] [--kill-grace MS] [--] PROGRAM [ARGS...]\n\n"
    "Starts N ranks of PROGRAM on this machine with a PMI server for MPI.\n\n"
    "  -n, --ntasks N     number of ranks (inside a job: default and at most its -n)\n"
    "  --ppn P            ranks per node (standalone: emulates ceil(N/P) nodes)\n"
    "  -l, --label        prefix every output line with the rank ('3: ...')\n"
    "  --mpi MODE         auto (default), pmi1 (MPICH), pmix (Open MPI), flux (Open MPI\n"
    "                     through libgantry-pmi.so), none\n"
    "  --no-topology      do not hand the ranks a topology discovered once (hwloc)\n"
    "  --no-shm           serve PMI gets over the socket only (no shared-memory store)\n"
    "  --pmi-port         PMI-1 over TCP on 127.0.0.1 (PMI_PORT, PMI_ID) instead of PMI_FD\n"
    "  --kill-grace MS    after a failure, SIGTERM then SIGKILL after MS (default 2000)\n\n"
    "Exit status: 0 if every rank exited 0, else the first non-zero status (128+signal\n"
    "for a killed rank, the code given to MPI_Abort, 1 for a PMI protocol error).\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gantry run: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int RunRun(int argc, char** argv) {
  launch::LaunchOptions options;
  bool have_n = false;
  int i = 1;
  auto value = [&](std::string_view flag) -> const char* {
    if (i + 1 >= argc) return nullptr;
    (void)flag;
    return argv[++i];
  };
  for (; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.empty() || arg[0] != '-') break;
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "-l" || arg == "--label") {
      options.label = true;
    } else if (arg == "--no-topology") {
      options.topology = false;
    } else if (arg == "--no-shm") {
      options.shared_memory_kvs = false;
    } else if (arg == "--pmi-port") {
      options.pmi_over_tcp = true;
    } else if (arg == "-n" || arg == "--ntasks" || arg == "-np" || arg == "--ppn" ||
               arg == "--kill-grace") {
      const char* v = value(arg);
      auto number = v != nullptr ? ParseInt(v) : std::nullopt;
      if (!number || *number < 0 || *number > 1'000'000) {
        return UsageError(std::string(arg) + " needs a non-negative number");
      }
      if (arg == "--ppn") {
        options.ppn = static_cast<int>(*number);
      } else if (arg == "--kill-grace") {
        options.kill_grace_ms = static_cast<int>(*number);
      } else {
        options.size = static_cast<int>(*number);
        have_n = true;
      }
    } else if (arg == "--mpi") {
      const char* v = value(arg);
      if (v == nullptr) return UsageError("--mpi needs a mode");
      auto mode = launch::ParseMpiMode(v);
      if (!mode) return UsageError(mode.error().message());
      options.mpi = *mode;
    } else {
      return UsageError("unknown option '" + std::string(arg) + "'");
    }
  }
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
  if (i >= argc) return UsageError("no program to run");
  options.argv.assign(argv + i, argv + argc);
  auto status = launch::Launch(options);
  if (!status) {
    std::fprintf(stderr, "gantry run: %s\n", status.error().message().c_str());
    return status.error().code() == ErrorCode::kNotFound ? 127 : 1;
  }
  return *status;
}

}  // namespace gantry::cli
