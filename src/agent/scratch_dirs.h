// Attempt scratch directories (TMPDIR, GANTRY_ATTEMPT_DIR), reused: when an attempt is over
// its directory is emptied and kept (up to kMaxPooled) for a later attempt. Creating and
// removing a directory per attempt costs inode churn, and on a filesystem mounted with
// `discard` every rmdir waits for a synchronous discard. Thread-safe.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace gantry::agent {

class ScratchDirs {
 public:
  static constexpr size_t kMaxPooled = 256;

  // root must exist (leftovers of an earlier agent are cleared by KillLeftoverAttempts).
  explicit ScratchDirs(std::string root) : root_(std::move(root)) {}
  ~ScratchDirs();  // removes the kept directories

  // An empty directory of mode 0700, handed to owner if given. kResourceExhausted when the
  // disk is full, read-only or failing (not the job's fault).
  Result<std::string> Acquire(std::optional<std::pair<uid_t, gid_t>> owner);
  // The attempt's processes are gone: the directory is emptied and kept, or removed.
  void Release(const std::string& path);
  size_t kept() const;

 private:
  struct Dir {
    std::string path;
    uid_t uid;
    gid_t gid;
  };

  const std::string root_;
  mutable std::mutex mu_;
  int64_t next_name_ = 1;  // GUARDED_BY(mu_)
  std::vector<Dir> pool_;  // GUARDED_BY(mu_)
  std::vector<Dir> out_;   // GUARDED_BY(mu_), handed out
};

}  // namespace gantry::agent
