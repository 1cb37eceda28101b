#include "pilots/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "base/strings.h"

extern char** environ;

namespace gantry::pilots {
namespace {

struct Pipe {
  int read = -1, write = -1;
  ~Pipe() {
    if (read >= 0) close(read);
    if (write >= 0) close(write);
  }
};

}  // namespace

Result<CommandResult> RunCommand(const std::vector<std::string>& argv, int64_t timeout_ms) {
  if (argv.empty()) return Fail(InvalidArgument("no command to run"));
  Pipe out, err;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Fail(ErrnoError("pipe", errno));
  out.read = fds[0], out.write = fds[1];
  if (pipe2(fds, O_CLOEXEC) != 0) return Fail(ErrnoError("pipe", errno));
  err.read = fds[0], err.write = fds[1];

  // posix_spawn, not fork: the server has many threads, and the child only execs.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The server blocks termination signals in every thread (cli/roles.h); the child must not
  // inherit that mask, or a timeout's SIGTERM would wait forever.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc == ENOENT) {
    const char* path = getenv("PATH");
    return Fail(NotFound("'" + argv[0] + "' is not on PATH (" + (path ? path : "") +
                         "): install SLURM's clients (slurm-client) or fix PATH"));
  }
  if (rc != 0) return Fail(ErrnoError("cannot run " + argv[0], rc));
  close(out.write), out.write = -1;
  close(err.write), err.write = -1;

  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  while (out.read >= 0 || err.read >= 0) {
    pollfd pfds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int n = poll(pfds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (pfds[i].fd < 0 || pfds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t got = read(pfds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(got));
        continue;
      }
      Pipe& p = i == 0 ? out : err;
      close(p.read);
      p.read = -1;
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Fail(Unavailable(argv[0] + " did not finish within " + std::to_string(timeout_ms) +
                            " ms (is slurmctld reachable? see SLURM_CONF)"));
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

std::string CommandOutputLine(const CommandResult& result) {
  std::string text(Trim(result.err.empty() ? result.out : result.err));
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  if (text.size() > 500) text = text.substr(0, 500) + "...";
  return text;
}

}  // namespace gantry::pilots
