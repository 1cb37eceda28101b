#include "exec/spawner.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "base/c_strings.h"
#include "base/passwd.h"
#include "base/strings.h"
#include "exec/program_path.h"

namespace gantry::exec {
namespace {

constexpr size_t kChildStackBytes = 64 * 1024;

enum class Step {
  kNone,
  kSession,
  kCgroup,
  kRlimit,
  kGroups,
  kGid,
  kUid,
  kChdir,
  kStdin,
  kStdout,
  kStderr,
  kExec
};

// Shared with the child (CLONE_VM). The parent is suspended until the child execs or exits
// (CLONE_VFORK), so the child's error lands here before the parent reads it; no pipe needed.
struct ChildContext {
  // In: prepared by the parent, only read by the child.
  const char* const* candidates;  // executable paths to try, in order
  char* const* argv;
  char* const* envp;
  const char* working_dir;
  const char* stdin_path;
  const char* stdout_path;
  const char* stderr_path;
  int output_flags;  // O_APPEND, or O_APPEND | O_TRUNC
  bool stderr_is_stdout;
  const char* cgroup_procs;  // nullptr = none
  int64_t address_space_limit;
  bool change_ids;
  uid_t uid;
  gid_t gid;
  const gid_t* groups;
  size_t group_count;
  // Signals that are ignored or caught here: reset to default in the child.
  const int* reset_signals;
  int reset_count;
  // Out: written by the child on failure.
  Step failed_step;
  int error;
  int failed_candidate;
};

// Returns an fd >= 3 so that the dup2 onto 0..2 cannot clobber another of our fds.
int AboveStdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return moved;
}

int OpenOutput(const char* path, int flags, bool* created) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) {
    *created = true;
    return AboveStdio(fd);
  }
  if (errno != EEXIST) return -1;
  return AboveStdio(open(path, O_WRONLY | O_CREAT | flags | O_CLOEXEC, 0644));
}

// Runs in the child, sharing the parent's memory: only async-signal-safe calls, no
// allocation, and raw syscalls for credentials (glibc's setuid() would broadcast the change
// to the parent's threads, whose thread list this child can see).
[[noreturn]] void ChildFail(ChildContext* c, Step step, int err, bool stdout_created,
                            bool stderr_created) {
  c->failed_step = step;
  c->error = err;
  if (stdout_created) unlink(c->stdout_path);
  if (stderr_created && !c->stderr_is_stdout) unlink(c->stderr_path);
  _exit(127);
}

int ChildMain(void* arg) {
  auto* c = static_cast<ChildContext*>(arg);
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int i = 0; i < c->reset_count; ++i) sigaction(c->reset_signals[i], &dfl, nullptr);
  if (setsid() < 0) ChildFail(c, Step::kSession, errno, false, false);
  if (c->cgroup_procs != nullptr) {
    int fd = open(c->cgroup_procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "0", 1) != 1) ChildFail(c, Step::kCgroup, errno, false, false);
    close(fd);
  }
  if (c->address_space_limit > 0) {
    rlimit limit = {static_cast<rlim_t>(c->address_space_limit),
                    static_cast<rlim_t>(c->address_space_limit)};
    if (setrlimit(RLIMIT_AS, &limit) != 0) ChildFail(c, Step::kRlimit, errno, false, false);
  }
  if (c->change_ids) {
    if (syscall(SYS_setgroups, c->group_count, c->groups) != 0) {
      ChildFail(c, Step::kGroups, errno, false, false);
    }
    if (syscall(SYS_setresgid, c->gid, c->gid, c->gid) != 0) {
      ChildFail(c, Step::kGid, errno, false, false);
    }
    if (syscall(SYS_setresuid, c->uid, c->uid, c->uid) != 0) {
      ChildFail(c, Step::kUid, errno, false, false);
    }
  }
  if (chdir(c->working_dir) != 0) ChildFail(c, Step::kChdir, errno, false, false);
  int in = AboveStdio(open(c->stdin_path, O_RDONLY | O_CLOEXEC));
  if (in < 0) ChildFail(c, Step::kStdin, errno, false, false);
  bool out_created = false, err_created = false;
  int out = OpenOutput(c->stdout_path, c->output_flags, &out_created);
  if (out < 0) ChildFail(c, Step::kStdout, errno, false, false);
  int err = out;
  if (!c->stderr_is_stdout) {
    err = OpenOutput(c->stderr_path, c->output_flags, &err_created);
    if (err < 0) ChildFail(c, Step::kStderr, errno, out_created, false);
  }
  // dup2 clears FD_CLOEXEC on the target; everything else above 2 closes at exec.
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
    ChildFail(c, Step::kStdout, errno, out_created, err_created);
  }
  syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  // Like execvp: try each PATH entry; EACCES is remembered but the search goes on.
  int result = ENOENT;
  int eacces_at = -1;
  for (int i = 0; c->candidates[i] != nullptr; ++i) {
    execve(c->candidates[i], c->argv, c->envp);
    int e = errno;
    c->failed_candidate = i;
    if (e == EACCES) {
      eacces_at = i;
      continue;
    }
    if (e == ENOENT || e == ENOTDIR || e == ESTALE || e == ENODEV || e == ETIMEDOUT) continue;
    result = e;
    break;
  }
  if (result == ENOENT && eacces_at >= 0) {
    result = EACCES;
    c->failed_candidate = eacces_at;
  }
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  ChildFail(c, Step::kExec, result, out_created, err_created);
}

// Supplementary groups of the target user, computed here because initgroups() reads
// /etc/group and allocates, which the child must not do.
Status ResolveIds(const SpawnRequest& request, ChildContext& c, std::vector<gid_t>& groups) {
  if (!request.uid && !request.gid) return {};
  uid_t uid = request.uid.value_or(geteuid());
  if (geteuid() != 0) {
    if (uid == geteuid() && request.gid.value_or(getegid()) == getegid()) return {};
    return Fail(PermissionDenied("cannot run as uid " + std::to_string(uid) +
                                 ": the agent is not running as root"));
  }
  std::optional<Account> account = LookUpUser(uid);
  gid_t gid = 0;
  if (request.gid) {
    gid = *request.gid;
  } else if (account) {
    gid = account->gid;
  } else {
    return Fail(InvalidArgument("uid " + std::to_string(uid) +
                                " has no passwd entry; give a gid explicitly"));
  }
  groups = account ? GroupIdsOf(account->name, gid) : std::vector<gid_t>{gid};
  c.change_ids = true;
  c.uid = uid;
  c.gid = gid;
  c.groups = groups.data();
  c.group_count = groups.size();
  return {};
}

Error DescribeFailure(const SpawnRequest& request, const ChildContext& c,
                      const std::vector<std::string>& candidates) {
  int e = c.error;
  std::string why = strerror(e);
  switch (c.failed_step) {
    case Step::kChdir:
      if (e == ENOENT)
        return NotFound("working directory '" + request.working_dir + "' does not exist");
      return ErrnoError("cannot enter working directory '" + request.working_dir + "'", e);
    case Step::kStdin:
      return ErrnoError("cannot open stdin file '" + request.stdin_path + "'", e);
    case Step::kStdout:
      return ErrnoError("cannot open stdout file '" + request.stdout_path + "' for writing", e);
    case Step::kStderr:
      return ErrnoError("cannot open stderr file '" + request.stderr_path + "' for writing", e);
    case Step::kExec: {
      const std::string& name = request.argv[0];
      std::string path = candidates[static_cast<size_t>(std::max(0, c.failed_candidate))];
      if (e == ENOENT && name.find('/') == std::string::npos) {
        return NotFound("executable '" + name + "' not found in PATH (" +
                        SearchPathOf(request.env) + ")");
      }
      if (e == ENOENT) return NotFound("executable '" + path + "' does not exist");
      if (e == EACCES) {
        return PermissionDenied("'" + path + "' is not executable (permission denied)");
      }
      if (e == ENOEXEC) {
        return InvalidArgument("'" + path +
                               "' is not an executable format (a script needs a '#!' line)");
      }
      return ErrnoError("cannot execute '" + path + "'", e);
    }
    case Step::kCgroup:
      return ErrnoError("cannot join cgroup " + std::string(c.cgroup_procs), e);
    case Step::kRlimit:
      return ErrnoError("cannot set the address-space limit", e);
    case Step::kGroups:
    case Step::kGid:
    case Step::kUid:
      return ErrnoError(
          "cannot switch to uid " + std::to_string(c.uid) + " gid " + std::to_string(c.gid), e);
    case Step::kSession:
      return ErrnoError("cannot start a new session", e);
    case Step::kNone:
      break;
  }
  return Internal("spawn failed: " + why);
}

}  // namespace

Result<SpawnedProcess> SpawnProcess(const SpawnRequest& request, const SpawnSetup& setup) {
  if (request.argv.empty() || request.argv[0].empty()) {
    return Fail(InvalidArgument("no program to run (argv is empty)"));
  }
  if (request.working_dir.empty()) return Fail(InvalidArgument("no working directory given"));
  ChildContext c = {};
  std::vector<gid_t> groups;
  GANTRY_RETURN_IF_ERROR(ResolveIds(request, c, groups));

  std::vector<std::string> candidates =
      ProgramCandidates(request.argv[0], SearchPathOf(request.env));
  std::vector<const char*> candidate_ptrs;
  for (const std::string& s : candidates) candidate_ptrs.push_back(s.c_str());
  candidate_ptrs.push_back(nullptr);
  std::vector<char*> argv = CStringArray(request.argv);
  std::vector<char*> envp = CStringArray(request.env);
  auto or_null = [](const std::string& p) { return p.empty() ? "/dev/null" : p.c_str(); };
  c.candidates = candidate_ptrs.data();
  c.argv = argv.data();
  c.envp = envp.data();
  c.working_dir = request.working_dir.c_str();
  c.stdin_path = or_null(request.stdin_path);
  c.stdout_path = or_null(request.stdout_path);
  c.stderr_path = or_null(request.stderr_path);
  c.stderr_is_stdout = std::strcmp(c.stdout_path, c.stderr_path) == 0;
  c.output_flags = O_APPEND;
  if (request.output_mode == SpawnRequest::OutputMode::kTruncate) c.output_flags |= O_TRUNC;
  c.cgroup_procs = setup.cgroup_procs_path.empty() ? nullptr : setup.cgroup_procs_path.c_str();
  c.address_space_limit = setup.address_space_limit;

  // Found here, outside the window in which the parent waits for the child's exec.
  int reset_signals[NSIG];
  c.reset_signals = reset_signals;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction current;
    if (sigaction(sig, nullptr, &current) == 0 && current.sa_handler != SIG_DFL) {
      reset_signals[c.reset_count++] = sig;
    }
  }

  auto stack = std::make_unique_for_overwrite<char[]>(kChildStackBytes);
  // All signals stay blocked until the child has reset its handlers: a handler of ours must
  // never run on the child's side of the shared memory.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int pidfd = -1;
  pid_t pid = clone(ChildMain, stack.get() + kChildStackBytes,
                    CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, &c, &pidfd);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) return Fail(ErrnoError("cannot start a process", clone_errno));
  if (c.failed_step != Step::kNone) {
    // The child has _exit()ed; reap it so it leaves no zombie. ECHILD: a subreaper loop won.
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    close(pidfd);
    return Fail(DescribeFailure(request, c, candidates));
  }
  return SpawnedProcess{pid, pidfd};
}

}  // namespace gantry::exec
