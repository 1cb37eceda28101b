// Launcher: the job-wide part of `gantry run`. It places ranks on nodes, creates one
// NodeLaunch per node, completes PMI barriers across nodes (JobExchange), forwards signals,
// and decides when the job ends and with which exit status. Loop-thread only: Run() drives
// everything on the calling thread and returns when every rank is gone.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::launch {

enum class MpiMode {
  kAuto,   // PMIx for Open MPI programs (detected from the executable), else PMI-1
  kPmi1,   // PMI-1 wire protocol only (MPICH, libgantry-pmi.so)
  kPmix,   // PMI-1 plus a PMIx server (Open MPI)
  kFlux,   // Open MPI through its flux component loading libgantry-pmi.so
  kNone,   // no PMI at all: independent processes (MPI programs run as singletons)
};

// Exit statuses of `gantry run` besides the ranks' own (docs/run.md), as timeout(1) and
// env(1) use them: the launcher itself failed, PROGRAM is not executable, PROGRAM not found.
inline constexpr int kExitLauncherFailure = 125;
inline constexpr int kExitCannotExecute = 126;
inline constexpr int kExitNotFound = 127;
// A failure to start: 127 for a missing PROGRAM, 126 for one that cannot be run, else 125.
int ExitStatusOf(const Error& error);

struct LaunchOptions {
  int size = 1;
  int ppn = 0;                       // 0: all ranks on each host
  bool label = false;
  MpiMode mpi = MpiMode::kAuto;
  bool topology = true;              // discover hwloc topology once, hand it to the ranks
  bool shared_memory_kvs = true;
  bool pmi_over_tcp = false;         // PMI_PORT/PMI_ID on 127.0.0.1 instead of PMI_FD
  int kill_grace_ms = 2000;          // SIGTERM, then SIGKILL after this long
  std::vector<std::string> hosts = {"localhost"};
  std::vector<std::string> argv;     // program and its arguments
  std::vector<std::string> env;      // NAME=VALUE set for every rank (-genv, -x)
};

// Runs the job to completion. Returns the exit status for `gantry run`: 0 when every rank
// exited 0; else the first non-zero status (128 + signal for a killed rank, the MPI_Abort
// code for an abort, 1 for a PMI protocol failure or a rank that vanished without finalizing,
// 141 when our stdout closed under --label). Errors are failures to start at all.
Result<int> Launch(const LaunchOptions& options);

Result<MpiMode> ParseMpiMode(std::string_view text);

}  // namespace gantry::launch
