#include "agent/job_scripts.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "base/file.h"

namespace gantry::agent {

JobScripts::JobScripts(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

Result<std::string> JobScripts::Acquire(int64_t job_id, const std::string& text,
                                        std::optional<std::pair<uid_t, gid_t>> owner) {
  std::string path = Path(job_id);
  std::lock_guard lock(mu_);
  int& holders = holders_[job_id];
  if (holders == 0) {
    // Scratch: a crash loses the attempt anyway, so no fsync.
    auto written = WriteNewFile(path, text, 0700);
    if (written && owner && chown(path.c_str(), owner->first, owner->second) != 0) {
      int err = errno;
      unlink(path.c_str());
      written = Fail(ErrnoError("cannot hand " + path + " to uid " + std::to_string(owner->first), err));
    }
    if (!written) {
      holders_.erase(job_id);
      return Fail(written.error());
    }
  }
  ++holders;
  return path;
}

void JobScripts::Release(int64_t job_id) {
  std::lock_guard lock(mu_);
  auto it = holders_.find(job_id);
  if (it == holders_.end()) return;
  if (--it->second > 0) return;
  holders_.erase(it);
  unlink(Path(job_id).c_str());
}

}  // namespace gantry::agent
