#include "agent/job_scripts.h"

#include <unistd.h>

#include <algorithm>
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

JobScripts::~JobScripts() {
  for (const auto& [path, key] : by_path_) unlink(path.c_str());
}

Result<std::string> JobScripts::Acquire(const std::string& text,
                                        std::optional<std::pair<uid_t, gid_t>> owner) {
  Key key{owner ? owner->first : static_cast<uid_t>(-1), text};
  std::lock_guard lock(mu_);
  if (auto it = scripts_.find(key); it != scripts_.end()) {
    Entry& entry = it->second;
    if (entry.holders++ == 0) std::erase(idle_, entry.path);
    return entry.path;
  }
  std::string path = dir_ + "/" + std::to_string(next_name_++);
  // Scratch: a crash loses the attempt anyway, so no fsync.
  auto written = WriteNewFile(path, text, 0700);
  if (written && owner && chown(path.c_str(), owner->first, owner->second) != 0) {
    int err = errno;
    unlink(path.c_str());
    written = Fail(ErrnoError("cannot hand " + path + " to uid " + std::to_string(owner->first), err));
  }
  if (!written) return Fail(written.error());
  scripts_.emplace(key, Entry{path, 1});
  by_path_.emplace(path, std::move(key));
  return path;
}

void JobScripts::Release(const std::string& path) {
  std::lock_guard lock(mu_);
  auto key = by_path_.find(path);
  if (key == by_path_.end()) return;
  Entry& entry = scripts_.at(key->second);
  if (entry.holders == 0 || --entry.holders > 0) return;
  idle_.push_back(path);
  if (idle_.size() <= kIdleKept) return;
  std::string oldest = std::move(idle_.front());
  idle_.pop_front();
  auto old_key = by_path_.find(oldest);
  scripts_.erase(old_key->second);
  by_path_.erase(old_key);
  unlink(oldest.c_str());
}

}  // namespace gantry::agent
