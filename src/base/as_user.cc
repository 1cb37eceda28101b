#include "base/as_user.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "base/check.h"
#include "base/passwd.h"

namespace gantry {
namespace {

// Raw system calls on purpose: glibc's setgroups() changes every thread of the process (it
// signals each one), and the server's other threads must keep their rights. The kernel keeps
// credentials per thread, and dropping the filesystem uid from 0 also drops the thread's
// CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH until it is set back (capabilities(7)).
long SetFsUid(uid_t uid) { return syscall(SYS_setfsuid, uid); }
long SetFsGid(gid_t gid) { return syscall(SYS_setfsgid, gid); }
long SetThreadGroups(const std::vector<gid_t>& groups) {
  return syscall(SYS_setgroups, groups.size(), groups.data());
}

std::vector<gid_t> ThreadGroups() {
  std::vector<gid_t> groups(static_cast<size_t>(syscall(SYS_getgroups, 0, nullptr)));
  long n = syscall(SYS_getgroups, groups.size(), groups.data());
  GANTRY_CHECK(n >= 0);
  groups.resize(static_cast<size_t>(n));
  return groups;
}


// The calling thread's filesystem identity switched to a user's until destroyed.
class ThreadFsIdentity {
 public:
  static Result<ThreadFsIdentity> SwitchTo(const FileUser& user) {
    ThreadFsIdentity saved(ThreadGroups(), static_cast<gid_t>(SetFsGid(-1)));
    if (SetThreadGroups(GroupIdsOf(user.name, user.gid)) != 0) {
      return Fail(ErrnoError("cannot take the groups of user " + std::to_string(user.uid), errno));
    }
    SetFsGid(user.gid);
    SetFsUid(user.uid);
    // setfsuid/setfsgid report failure only by not changing: ask again to be sure.
    if (static_cast<uid_t>(SetFsUid(-1)) != user.uid ||
        static_cast<gid_t>(SetFsGid(-1)) != user.gid) {
      saved.Restore();
      return Fail(Internal("cannot take the file rights of user " + std::to_string(user.uid)));
    }
    return saved;
  }
  ThreadFsIdentity(ThreadFsIdentity&& other) noexcept
      : groups_(std::move(other.groups_)), gid_(other.gid_), active_(other.active_) {
    other.active_ = false;
  }
  ThreadFsIdentity& operator=(ThreadFsIdentity&&) = delete;
  ~ThreadFsIdentity() { Restore(); }

 private:
  ThreadFsIdentity(std::vector<gid_t> groups, gid_t gid) : groups_(std::move(groups)), gid_(gid) {}
  void Restore() {
    if (!active_) return;
    active_ = false;
    // A thread left with a user's rights would serve the next request with them: abort.
    SetFsUid(0);
    GANTRY_CHECK(SetFsUid(-1) == 0);
    SetFsGid(gid_);
    GANTRY_CHECK(SetThreadGroups(groups_) == 0);
  }

  std::vector<gid_t> groups_;
  gid_t gid_;
  bool active_ = true;
};

}  // namespace

Result<int> OpenAsUser(const std::string& path, int flags, const FileUser& user) {
  auto open_plain = [&]() -> Result<int> {
    int fd = open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return Fail(ErrnoError("cannot open " + path, errno));
    return fd;
  };
  if (geteuid() != 0 || user.uid == 0) return open_plain();
  GANTRY_ASSIGN_OR_RETURN(ThreadFsIdentity as_user, ThreadFsIdentity::SwitchTo(user));
  return open_plain();
}

namespace {

// Runs f with user's filesystem rights (a plain call unless this process is root and user
// is not).
template <typename F>
auto WithRights(const FileUser& user, F f) -> decltype(f()) {
  if (geteuid() != 0 || user.uid == 0) return f();
  auto as_user = ThreadFsIdentity::SwitchTo(user);
  if (!as_user) return Fail(as_user.error());
  return f();
}

}  // namespace

Result<int> CreateAsUser(const std::string& path, mode_t mode, const FileUser& user) {
  return WithRights(user, [&]() -> Result<int> {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return Fail(ErrnoError("cannot create " + path, errno));
    return fd;
  });
}

Status RenameAsUser(const std::string& from, const std::string& to, const FileUser& user) {
  return WithRights(user, [&]() -> Status {
    if (rename(from.c_str(), to.c_str()) != 0) {
      return Fail(ErrnoError("cannot rename " + from + " to " + to, errno));
    }
    return {};
  });
}

Status UnlinkAsUser(const std::string& path, const FileUser& user) {
  return WithRights(user, [&]() -> Status {
    if (unlink(path.c_str()) != 0) return Fail(ErrnoError("cannot remove " + path, errno));
    return {};
  });
}

}  // namespace gantry
