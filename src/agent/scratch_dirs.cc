#include "agent/scratch_dirs.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace gantry::agent {
namespace {

// Removes what an attempt left in dir (never following symlinks); false if something stays.
bool Empty(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return false;
  bool ok = true;
  while (dirent* entry = readdir(d)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::error_code ec;
    std::filesystem::remove_all(dir + "/" + std::string(name), ec);
    ok = ok && !ec;
  }
  closedir(d);
  return ok;
}

void RemoveTree(const std::string& dir) {
  if (rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace

ScratchDirs::~ScratchDirs() {
  for (const Dir& dir : pool_) RemoveTree(dir.path);
}

Result<std::string> ScratchDirs::Acquire(std::optional<std::pair<uid_t, gid_t>> owner) {
  uid_t uid = owner ? owner->first : geteuid();
  gid_t gid = owner ? owner->second : getegid();
  std::optional<Dir> dir;
  {
    std::lock_guard lock(mu_);
    if (!pool_.empty()) {
      dir = std::move(pool_.back());
      pool_.pop_back();
    } else {
      dir = Dir{root_ + "/" + std::to_string(next_name_++), geteuid(), getegid()};
    }
  }
  auto fail = [&](const std::string& what, int err) -> Result<std::string> {
    Error e = ErrnoError(what + " " + dir->path, err);
    if (err == ENOSPC || err == EDQUOT || err == EROFS || err == EIO) {
      e = Error(ErrorCode::kResourceExhausted, e.message());
    }
    RemoveTree(dir->path);
    return Fail(std::move(e));
  };
  struct stat st;
  if (lstat(dir->path.c_str(), &st) != 0) {
    if (mkdir(dir->path.c_str(), 0700) != 0) return fail("cannot create", errno);
  } else if (!S_ISDIR(st.st_mode) || st.st_uid != dir->uid) {
    return fail("unexpected file at", EEXIST);
  } else if ((st.st_mode & 07777) != 0700 && chmod(dir->path.c_str(), 0700) != 0) {
    return fail("cannot reset the mode of", errno);  // the last attempt chmod-ed it
  }
  if ((uid != dir->uid || gid != dir->gid) && chown(dir->path.c_str(), uid, gid) != 0) {
    return fail("cannot hand over", errno);
  }
  dir->uid = uid;
  dir->gid = gid;
  std::lock_guard lock(mu_);
  out_.push_back(*dir);
  return dir->path;
}

void ScratchDirs::Release(const std::string& path) {
  std::optional<Dir> dir;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(out_.begin(), out_.end(), [&](const Dir& d) { return d.path == path; });
    if (it == out_.end()) return;
    dir = std::move(*it);
    out_.erase(it);
  }
  if (!Empty(dir->path)) return RemoveTree(dir->path);
  std::lock_guard lock(mu_);
  if (pool_.size() >= kMaxPooled) return RemoveTree(dir->path);
  pool_.push_back(std::move(*dir));
}

size_t ScratchDirs::kept() const {
  std::lock_guard lock(mu_);
  return pool_.size();
}

}  // namespace gantry::agent
