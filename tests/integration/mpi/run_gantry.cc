#include "run_gantry.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace gantry::testing {

RunResult RunGantry(const RunRequest& request) {
  RunResult result;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    return result;
  }
  std::vector<std::string> args = {GANTRY_BINARY, "run"};
  args.insert(args.end(), request.args.begin(), request.args.end());
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), request.env.begin(), request.env.end());
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (request.max_open_files > 0) {
      rlimit limit{};
      getrlimit(RLIMIT_NOFILE, &limit);
      limit.rlim_cur = static_cast<rlim_t>(request.max_open_files);
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  result.pid = pid;
  close(in[0]);
  close(out[1]);
  close(err[1]);
  (void)!write(in[1], request.stdin_data.data(), request.stdin_data.size());
  close(in[1]);
  bool signalled = false;
  int open_fds = 2;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  while (open_fds > 0) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                         .count();
    if (elapsed > request.deadline_seconds) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, 200) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      sinks[i]->append(buffer, static_cast<size_t>(n));
    }
    if (fds[0].fd >= 0 && !request.close_out_when_has.empty() &&
        result.out.find(request.close_out_when_has) != std::string::npos) {
      close(fds[0].fd);
      fds[0].fd = -1;
      --open_fds;
    }
    if (!signalled && !request.signal_when_out_has.empty() &&
        (request.signal_when_count > 1
             ? CountLines(result.out, request.signal_when_out_has) >= request.signal_when_count
             : result.out.find(request.signal_when_out_has) != std::string::npos)) {
      kill(pid, request.signal);
      signalled = true;
    }
  }
  for (auto& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::vector<int> PidsIn(const std::string& text) {
  std::vector<int> pids;
  for (size_t at = text.find("pid "); at != std::string::npos; at = text.find("pid ", at + 4)) {
    pids.push_back(std::atoi(text.c_str() + at + 4));
  }
  return pids;
}

bool AllGone(const std::vector<int>& pids) {
  for (int i = 0; i < 1000; ++i) {
    bool running = false;
    for (int pid : pids) {
      std::string stat;
      if (FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r")) {
        char buffer[512];
        size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, f);
        std::fclose(f);
        stat.assign(buffer, n);
      }
      size_t paren = stat.rfind(')');
      running = running || (paren != std::string::npos && paren + 2 < stat.size() &&
                            stat[paren + 2] != 'Z');
    }
    if (!running) return true;
    usleep(10 * 1000);
  }
  return false;
}

int CountLines(const std::string& text, const std::string& needle) {
  int count = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.substr(start, end - start).find(needle) != std::string::npos) ++count;
    start = end + 1;
  }
  return count;
}

}  // namespace gantry::testing
