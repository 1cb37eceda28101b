#include "launch/rank_spawner.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "base/c_strings.h"
#include "base/strings.h"

namespace gantry::launch {
namespace {

[[noreturn]] void ChildFailed(volatile int* child_errno, int err) {
  *child_errno = err;
  _exit(127);
}

// The child's side of SpawnRank, between vfork and exec: async-signal-safe calls only, and
// nothing that writes the parent's memory but `child_errno`.
[[noreturn]] void ExecRank(const RankSpawnSpec& spec, char* const* argv, char* const* env,
                           pid_t parent, volatile int* child_errno) {
  // Each rank leads its own session (and so its own process group), as hydra's ranks do.
  // Besides letting kill(-pid) reach everything the rank starts, this matters for speed:
  // with the kernel's autogroup scheduling every session is one scheduling group, so ranks
  // sharing the caller's session would share one CPU slice with everything else in it
  // (measured: 32 MPICH ranks took 2x longer than hydra's under a concurrent build).
  if (setsid() < 0) ChildFailed(child_errno, errno);
  // Ranks die with the launcher, even when it is SIGKILLed (hydra's proxies kill their
  // ranks). The signal fires when the *thread* that forked exits: NodeLaunch spawns from
  // threads that live as long as the launcher.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ChildFailed(child_errno, errno);
  if (getppid() != parent) _exit(137);  // the launcher died before the prctl
  const int std_fds[3] = {spec.stdin_fd, spec.stdout_fd, spec.stderr_fd};
  for (int target = 0; target < 3; ++target) {
    int fd = std_fds[target];
    if (fd == target) {
      if (fcntl(fd, F_SETFD, 0) != 0) ChildFailed(child_errno, errno);
    } else if (dup2(fd, target) < 0) {
      ChildFailed(child_errno, errno);
    }
  }
  for (int fd : spec.inherit_fds) {
    if (fcntl(fd, F_SETFD, 0) != 0) ChildFailed(child_errno, errno);
  }
  // Default dispositions for every caught signal (a handler would run in the parent's
  // memory) and for the ones a launcher ignores; other ignored signals stay ignored, as
  // across any exec. Then an empty mask: the rank starts as from a shell.
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction current;
    if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, nullptr, &current) != 0) continue;
    const bool launcher_ignores = sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
                                  sig == SIGQUIT || sig == SIGCHLD || sig == SIGPIPE ||
                                  sig == SIGUSR1 || sig == SIGUSR2;
    if (current.sa_handler != SIG_DFL && (current.sa_handler != SIG_IGN || launcher_ignores)) {
      sigaction(sig, &dfl, nullptr);
    }
  }
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  execve(spec.program.c_str(), argv, env);
  ChildFailed(child_errno, errno);
}

}  // namespace

Result<pid_t> SpawnRank(const RankSpawnSpec& spec) {
  std::vector<char*> argv = CStringArray(spec.argv);
  std::vector<char*> env = CStringArray(spec.env);
  // vfork (as glibc's posix_spawn does) keeps a spawn cheap in a large launcher; posix_spawn
  // itself cannot set a parent-death signal. Every signal stays blocked in this thread until
  // the child has exec-ed, so that no handler runs in the child on the parent's stack.
  sigset_t all, old_mask;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old_mask);
  const pid_t parent = getpid();
  volatile int child_errno = 0;
  pid_t pid = vfork();
  if (pid == 0) ExecRank(spec, argv.data(), env.data(), parent, &child_errno);
  const int vfork_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  if (pid < 0) return Fail(ErrnoError("starting " + spec.program, vfork_errno));
  if (child_errno != 0) {
    int ignored;
    waitpid(pid, &ignored, 0);
    return Fail(ErrnoError("starting " + spec.program, child_errno));
  }
  return pid;
}

RankSpawnSpec SpecWithOurStdio(std::vector<std::string> argv) {
  RankSpawnSpec spec;
  spec.program = argv.at(0);
  spec.argv = std::move(argv);
  spec.stdin_fd = STDIN_FILENO;
  spec.stdout_fd = STDOUT_FILENO;
  spec.stderr_fd = STDERR_FILENO;
  return spec;
}

}  // namespace gantry::launch
