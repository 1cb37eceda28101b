// How one attempt ended and what it used. Plain value types: thread-compatible.
#pragma once

#include <cstdint>
#include <string>

namespace gantry::exec {

// Resources one attempt used.
struct Usage {
  double user_cpu_seconds = 0;  // from wait4: the main process and every descendant it waited for
  double system_cpu_seconds = 0;
  double wall_seconds = 0;     // from just before the spawn to the main process's exit
  int64_t max_rss_kb = 0;      // largest resident set of one process (wait4 ru_maxrss)
  int64_t peak_memory_kb = 0;  // whole tree, from the cgroup (memory.peak / max_usage); 0 if none
};

struct ExitStatus {
  int exit_code = 0;  // valid when signal == 0; -1 when killed by a signal
  int signal = 0;     // the signal that killed the main process, 0 if it exited
  bool core_dumped = false;
  bool timed_out = false;   // the wall-time limit expired and the tree was signalled
  bool oom_killed = false;  // the cgroup memory controller killed a process of the tree
  bool cancelled = false;   // Kill() or shutdown ended it
  Usage usage;
  // The limits in force, so the description can name them.
  int64_t time_limit_seconds = 0;
  int64_t memory_limit_bytes = 0;

  // Exited 0 and no limit, cancel or signal got in the way.
  bool Succeeded() const {
    return signal == 0 && exit_code == 0 && !timed_out && !oom_killed && !cancelled;
  }
};

// "exited with status 3", "killed by signal 9 (SIGKILL)", "wall-time limit of 0:01:00 exceeded",
// "memory limit of 100 MB exceeded", "cancelled". Pure.
std::string DescribeExitStatus(const ExitStatus& status);

// How a process ended, from its waitpid(2) status: exit_code, or signal and core_dumped.
// The rest (limits, cancel, usage) is the caller's to add. Pure.
ExitStatus FromWaitStatus(int wait_status);

// The shell's number for it: the exit code, or 128 + the signal. Pure.
int ShellExitCode(const ExitStatus& status);

// "SIGKILL" for 9; "signal 77" for numbers without a name. Pure.
std::string SignalName(int signal);

}  // namespace gantry::exec
