// Finding and removing what killed ranks leave behind in /dev/shm (Open MPI's
// vader_segment.* files, MPICH/UCX segments): the files the ranks have mapped.
// Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <set>
#include <string>
#include <string_view>

namespace gantry::launch {

// Adds the /dev/shm files that process `pid` has mapped (from /proc/<pid>/maps).
void CollectShmFilesMappedBy(pid_t pid, std::set<std::string>& files);

// Removes `files`, and for each Open MPI segment "vader_segment.<host>.<job>.<local rank>"
// also its siblings of the same job (a rank that died first no longer maps its own). Only
// files owned by this user and created at or after `job_start` (wall clock) are removed, so a
// file the ranks merely used (another program's segment) survives. Returns how many went.
int RemoveShmLeftovers(const std::set<std::string>& files,
                       std::chrono::system_clock::time_point job_start);

// The job id Open MPI 4.1 derives from a PMIx namespace it did not create (opal_hash_str,
// Jenkins' one-at-a-time hash), in hex as it appears in its segment names; two spellings,
// with and without bit 15 (OPAL_HASH_JOBID clears it in some versions).
std::set<std::string> OpenMpiJobIdsOf(std::string_view nspace);

// Adds the /dev/shm files named after the Open MPI job of `nspace`:
// "vader_segment.<host>.<...>.<job id>.<local rank>". These are found even when no rank is
// left to map them (a rank that exited without finalizing after the others finished).
void CollectOpenMpiSegmentsOf(std::string_view nspace, std::set<std::string>& files);

}  // namespace gantry::launch
