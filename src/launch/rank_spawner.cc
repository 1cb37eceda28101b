#include "launch/rank_spawner.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "base/c_strings.h"
#include "base/strings.h"

namespace gantry::launch {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::string> ResolveProgram(const std::string& name) {
  if (name.empty()) return Fail(InvalidArgument("no program to run"));
  if (name.find('/') != std::string::npos) {
    if (!IsExecutableFile(name)) {
      return Fail(NotFound(name + ": not an executable file"));
    }
    return name;
  }
  const char* path = std::getenv("PATH");
  for (const std::string& dir : Split(path != nullptr ? path : "/usr/bin:/bin", ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return Fail(NotFound(name + ": command not found in PATH"));
}

Result<pid_t> SpawnRank(const RankSpawnSpec& spec) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, spec.stdin_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, spec.stdout_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, spec.stderr_fd, 2);
  // dup2(fd, fd) clears FD_CLOEXEC in the child (POSIX 2024, glibc >= 2.29): only these
  // launcher fds survive the exec.
  for (int fd : spec.inherit_fds) posix_spawn_file_actions_adddup2(&actions, fd, fd);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // Each rank leads its own session (and so its own process group), as hydra's ranks do.
  // Besides letting kill(-pid) reach everything the rank starts, this matters for speed:
  // with the kernel's autogroup scheduling every session is one scheduling group, so ranks
  // sharing the caller's session would share one CPU slice with everything else in it
  // (measured: 32 MPICH ranks took 2x longer than hydra's under a concurrent build).
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK |
                POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&attr, flags);
  std::vector<char*> argv = CStringArray(spec.argv);
  std::vector<char*> env = CStringArray(spec.env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, spec.program.c_str(), &actions, &attr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Fail(ErrnoError("starting " + spec.program, rc));
  return pid;
}

std::string DescribeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  }
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    const char* name = strsignal(sig);
    return "was killed by signal " + std::to_string(sig) + " (" +
           (name != nullptr ? name : "unknown") + ")";
  }
  return "stopped";
}

int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

}  // namespace gantry::launch
