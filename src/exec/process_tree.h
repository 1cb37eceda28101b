// Finding the processes of one attempt when there is no cgroup to ask. Thread-safe (reads
// /proc only).
#pragma once

#include <sys/types.h>

#include <vector>

namespace gantry::exec {

// Live members of process group `pgid`, from a /proc scan. Zombies are left out: they are
// dead already and go when their parent reaps them (or we do, as subreaper).
// Cheap exit: if kill(-pgid, 0) finds no process in the group, no scan is made.
std::vector<pid_t> ProcessGroupMembers(pid_t pgid);

// Our direct children that are zombies now (from /proc/<pid>/task/*/children), for tests and
// diagnostics.
std::vector<pid_t> ZombieChildrenOf(pid_t parent);

// True if pid exists and is not a zombie.
bool ProcessIsAlive(pid_t pid);

}  // namespace gantry::exec
