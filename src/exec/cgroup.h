// Per-attempt cgroups for the memory limit, whole-tree kill and peak memory.
// See docs/exec.md ("Cgroup modes") for what each mode does and the fallback.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
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

// One attempt's cgroup directory. Thread-compatible: owned by one job record.
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
  // Peak memory of the whole group in bytes; 0 if the kernel does not say.
  int64_t PeakMemoryBytes() const;
  // True if the kernel's OOM killer killed a process of this group.
  bool OomKilled() const;
  // rmdir; the group must be empty.
  Status Remove();

 private:
  CgroupMode mode_;
  std::string path_;
  std::string procs_path_;
  bool removed_ = false;
};

// Finds our own cgroup, owns "gantry.<pid>" below it, creates job groups inside.
// Thread-safe: CreateJobCgroup only creates directories and writes their files.
class CgroupManager {
 public:
  // Which mode works here: tries v2, then v1 (by creating and removing a probe group).
  // Call once at start-up; the result can be overridden (ProcessSupervisor::Options).
  static CgroupMode Detect();
  // mode must not be kNone. Fails with an actionable message if the mode cannot be set up.
  static Result<std::unique_ptr<CgroupManager>> Create(CgroupMode mode);
  ~CgroupManager();  // removes the parent group (job groups must be gone by then)

  CgroupMode mode() const { return mode_; }
  const std::string& parent_path() const { return parent_; }
  // Creates <parent>/<name> with the memory limit (0 = none). name: no '/', not "." or "..".
  Result<std::unique_ptr<JobCgroup>> CreateJobCgroup(const std::string& name,
                                                     int64_t memory_limit_bytes) const;

 private:
  CgroupManager(CgroupMode mode, std::string parent) : mode_(mode), parent_(std::move(parent)) {}
  CgroupMode mode_;
  std::string parent_;
};

// Our own cgroup directory for the mode ("" if none); used by node discovery too.
std::string OwnCgroupDir(CgroupMode mode);
// The memory limit of our own cgroup in bytes; 0 if none or unknown.
int64_t OwnCgroupMemoryLimitBytes();

}  // namespace gantry::exec
