// Finding and removing what killed ranks leave behind in /dev/shm (Open MPI's
// vader_segment.* files, MPICH/UCX segments): the files the ranks have mapped.
// Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <set>
#include <string>

namespace gantry::launch {

// Adds the /dev/shm files that process `pid` has mapped (from /proc/<pid>/maps).
void CollectShmFilesMappedBy(pid_t pid, std::set<std::string>& files);

// Removes `files`, and for each Open MPI segment "vader_segment.<host>.<job>.<local rank>"
// also its siblings of the same job (a rank that died first no longer maps its own). Only
// files owned by this user and created at or after `job_start` (wall clock) are removed, so a
// file the ranks merely used (another program's segment) survives. Returns how many went.
int RemoveShmLeftovers(const std::set<std::string>& files,
                       std::chrono::system_clock::time_point job_start);

}  // namespace gantry::launch
