// What to run for one attempt. Plain value type: thread-compatible.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gantry::exec {

struct SpawnRequest {
  // argv[0] is searched in the PATH of `env` (or /usr/local/bin:/usr/bin:/bin) if it has no
  // '/'; a relative path with '/' is relative to working_dir.
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "K=V": the complete environment of the process
  std::string working_dir;       // must exist and be accessible (by uid, if set)
  // Relative paths are relative to working_dir. Empty means /dev/null. stdout and stderr are
  // opened O_WRONLY|O_CREAT|O_APPEND (with O_TRUNC for kTruncate), mode 0644 (less umask), as
  // the target user; the same path for both shares one open file.
  std::string stdin_path = "/dev/null";
  std::string stdout_path;
  std::string stderr_path;
  enum class OutputMode { kAppend, kTruncate };
  OutputMode output_mode = OutputMode::kAppend;
  // When the agent runs as root: run as this user (supplementary groups from the group
  // database, then setgid, then setuid). gid defaults to the user's primary group.
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  int64_t memory_limit_bytes = 0;  // 0 = none
  int64_t time_limit_seconds = 0;  // 0 = none; SIGTERM to the tree, SIGKILL after the grace
  int64_t kill_grace_seconds = 5;
};

}  // namespace gantry::exec
