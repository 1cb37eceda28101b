// Starting one rank: vfork + exec (posix_spawn's speed; posix_spawn cannot set a
// parent-death signal) with its stdio, inherited fds, a parent-death SIGKILL, its
// own session and default signal dispositions. Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::launch {

struct RankSpawnSpec {
  std::string program;             // absolute path (exec::ResolveProgram)
  std::vector<std::string> argv;   // argv[0] as the user wrote it
  std::vector<std::string> env;    // the complete environment, "KEY=VALUE"
  int stdin_fd = -1;               // become the child's 0, 1, 2
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::vector<int> inherit_fds;    // stay open at the same numbers (FD_CLOEXEC cleared)
};

// Spawns the rank as the leader of a new session and process group (so the launcher can
// signal it and everything it started with kill(-pid)), to be killed when the calling
// *thread* exits (PR_SET_PDEATHSIG): call it from a thread that lives as long as the
// launcher. Returns its pid; an exec failure is an error (ENOENT: kNotFound).
Result<pid_t> SpawnRank(const RankSpawnSpec& spec);

// A spec for `argv` (argv[0] an absolute path) with the caller's stdio and environment.
RankSpawnSpec SpecWithOurStdio(std::vector<std::string> argv);

}  // namespace gantry::launch
