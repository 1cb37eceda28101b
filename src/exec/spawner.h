// Starts one process cheaply: clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD), the same technique
// as glibc's posix_spawn, plus the setup posix_spawn cannot do (cgroup, rlimit, credentials,
// chdir, output files). Internal to gantry::exec; ProcessSupervisor is the public entry point.
// Thread-safe: no shared state; each call uses its own child stack.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"
#include "exec/spawn_request.h"

namespace gantry::exec {

struct SpawnedProcess {
  pid_t pid = -1;
  int pidfd = -1;  // O_CLOEXEC; the caller owns it
};

struct SpawnSetup {
  std::string cgroup_procs_path;    // "" = stay in our cgroup
  int64_t address_space_limit = 0;  // RLIMIT_AS in bytes, 0 = none (the no-cgroup fallback)
};

// The child starts a new session (so its pid is its process group id), joins the cgroup,
// applies the rlimit, drops privileges, changes directory, opens stdio and execs, in that order.
// A failure at any step comes back as the Error, with the child reaped and any output file the
// child created removed.
Result<SpawnedProcess> SpawnProcess(const SpawnRequest& request, const SpawnSetup& setup);

}  // namespace gantry::exec
