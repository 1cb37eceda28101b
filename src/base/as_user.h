// Opening files with another user's rights, for a root server that reads paths its users
// control (a job's output file). Thread-safe: the rights change on the calling thread only.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"

namespace gantry {

// The user whose rights a file is opened with.
struct FileUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;  // for the supplementary groups; empty: the primary group alone
};

// open(path, flags) checked against user's permissions, as if that user opened it: every
// directory on the way and the file itself (after any symlink) must be reachable by them.
// When this process is root and user is not, the calling thread's filesystem uid, gid and
// supplementary groups are switched for the open and restored before returning; otherwise
// this is a plain open (a non-root process can open nothing its user could not). Returns
// the descriptor (O_CLOEXEC), which the caller closes.
Result<int> OpenAsUser(const std::string& path, int flags, const FileUser& user);
// The same rights for creating a new file (O_WRONLY | O_CREAT | O_EXCL, mode) that the user
// then owns, and for renaming and removing one.
Result<int> CreateAsUser(const std::string& path, mode_t mode, const FileUser& user);
Status RenameAsUser(const std::string& from, const std::string& to, const FileUser& user);
Status UnlinkAsUser(const std::string& path, const FileUser& user);

}  // namespace gantry
