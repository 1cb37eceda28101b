// Finding and killing what a crashed agent left running: processes whose environment names
// an attempt directory of this agent (GANTRY_ATTEMPT_DIR=<work_dir>/attempts/<id>). A safety
// net beside exec's cgroup sweep (exec/cgroup.cc RemoveStaleParents), and the only one when
// no cgroup hierarchy is writable: the restarted server requeues those attempts, and two
// attempts of one task must never run at once. Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace gantry::agent {

// PIDs of processes (other than this one) whose GANTRY_ATTEMPT_DIR lies under attempts_dir.
// Processes whose environment cannot be read (another user's, when not root) are skipped.
std::vector<pid_t> FindLeftoverAttemptProcesses(const std::string& attempts_dir);

// SIGKILLs them until none is left (bounded: about 2 s) and removes the attempt directories
// under attempts_dir. Call before the agent starts anything. Returns how many were killed.
int KillLeftoverAttempts(const std::string& attempts_dir);

}  // namespace gantry::agent
