// Per-attempt cgroups for the memory limit, whole-tree kill and peak memory.
// See docs/exec.md ("Cgroup modes") for what each mode does and the fallback.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::exec {

enum class CgroupMode {
  kV2,    // cgroup2 with the memory controller delegated to us
  kV1,    // the cgroup v1 memory hierarchy, where we may create child groups
  kNone,  // neither: RLIMIT_AS in the child and process-group kill
};

std::string_view CgroupModeName(CgroupMode mode);

// One attempt's cgroup directory. Thread-compatible: owned by one job record at a time.
// Groups are pooled (CgroupManager::Release): a group may have served earlier attempts, so
// its counters are taken relative to the moment it was handed out.
class JobCgroup {
 public:
  JobCgroup(CgroupMode mode, std::string path);
  ~JobCgroup();  // best-effort rmdir if Remove() was not called
  JobCgroup(const JobCgroup&) = delete;
  JobCgroup& operator=(const JobCgroup&) = delete;

  const std::string& path() const { return path_; }
  // The child writes "0" here before exec, so every descendant starts inside the group.
  const std::string& procs_path() const { return procs_path_; }
  // The processes in the group now (zombies are not listed).
  Result<std::vector<pid_t>> ReadPids() const;
  // cgroup v2 only: kills the whole group atomically (cgroup.kill). False if unsupported.
  bool KillAll() const;
  // Peak memory of the whole group in bytes since it was handed out; 0 if the kernel does
  // not say. A pooled group may still hold page cache charged by an earlier attempt, which is
  // counted (it is reclaimed under the limit).
  int64_t PeakMemoryBytes() const;
  // True if the kernel's OOM killer killed a process of this group since it was handed out.
  bool OomKilled() const;
  // rmdir; the group must be empty.
  Status Remove();

 private:
  friend class CgroupManager;
  // Sets the memory limit (0 = none), in the order the kernel accepts.
  Status SetMemoryLimit(int64_t bytes);
  // Makes an empty group ready for the next attempt: peak and OOM counters start afresh.
  // False if this kernel cannot reset them (the group is then removed instead).
  bool ResetCounters();
  int64_t OomKills() const;

  CgroupMode mode_;
  std::string path_;
  std::string procs_path_;
  int64_t memory_limit_ = 0;  // what is set now; 0 = none
  int64_t oom_kills_base_ = 0;
  int peak_fd_ = -1;  // v2: memory.peak, reset through this fd (kernel >= 6.12)
  bool removed_ = false;
};

// Finds our own cgroup, owns "gantry.<pid>" below it, and hands out job groups inside it.
// Emptied groups are kept for the next attempt (mkdir and rmdir of a memory cgroup cost more
// than the rest of a short job's start). Thread-safe.
class CgroupManager {
 public:
  // Which mode works here: tries v2, then v1 (by creating and removing a probe group).
  // Call once at start-up; the result can be overridden (ProcessSupervisor::Options).
  static CgroupMode Detect();
  // mode must not be kNone. Fails with an actionable message if the mode cannot be set up.
  static Result<std::unique_ptr<CgroupManager>> Create(CgroupMode mode);
  ~CgroupManager();  // removes the pooled groups and the parent (handed-out ones must be gone)

  CgroupMode mode() const { return mode_; }
  const std::string& parent_path() const { return parent_; }
  // An empty group with this memory limit (0 = none): a pooled one, or a new "job-<n>".
  Result<std::unique_ptr<JobCgroup>> Acquire(int64_t memory_limit_bytes);
  // Takes back a group whose processes are all gone: pooled for the next Acquire, or removed
  // if the pool is full or its counters cannot be reset.
  void Release(std::unique_ptr<JobCgroup> group);
  size_t pooled() const;

  static constexpr size_t kMaxPooled = 256;

 private:
  CgroupManager(CgroupMode mode, std::string parent) : mode_(mode), parent_(std::move(parent)) {}
  CgroupMode mode_;
  std::string parent_;
  mutable std::mutex mu_;
  int64_t next_name_ = 1;                          // GUARDED_BY(mu_)
  std::vector<std::unique_ptr<JobCgroup>> pool_;  // GUARDED_BY(mu_)
};

// Our own cgroup directory for the mode ("" if none); used by node discovery too.
std::string OwnCgroupDir(CgroupMode mode);
// The memory limit of our own cgroup in bytes; 0 if none or unknown.
int64_t OwnCgroupMemoryLimitBytes();

}  // namespace gantry::exec
