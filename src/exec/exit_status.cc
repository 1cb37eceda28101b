#include "exec/exit_status.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstring>

#include "base/strings.h"

namespace gantry::exec {

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  if (abbrev == nullptr) return "signal " + std::to_string(signal);
  return std::string("SIG") + abbrev;
}

ExitStatus FromWaitStatus(int wait_status) {
  ExitStatus s;
  if (WIFSIGNALED(wait_status)) {
    s.exit_code = -1;
    s.signal = WTERMSIG(wait_status);
    s.core_dumped = WCOREDUMP(wait_status);
  } else {
    s.exit_code = WEXITSTATUS(wait_status);
  }
  return s;
}

int ShellExitCode(const ExitStatus& status) {
  return status.signal != 0 ? 128 + status.signal : status.exit_code;
}

namespace {

std::string FormatMegabytes(int64_t bytes) {
  constexpr int64_t kMb = 1024 * 1024;
  char buf[64];
  if (bytes % kMb == 0) {
    snprintf(buf, sizeof buf, "%lld MB", static_cast<long long>(bytes / kMb));
  } else {
    snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / kMb);
  }
  return buf;
}

std::string DescribeEnd(const ExitStatus& status) {
  if (status.signal == 0) return "exited with status " + std::to_string(status.exit_code);
  std::string text =
      "killed by signal " + std::to_string(status.signal) + " (" + SignalName(status.signal) + ")";
  if (status.core_dumped) text += ", core dumped";
  return text;
}

}  // namespace

std::string DescribeExitStatus(const ExitStatus& status) {
  // A limit or a cancel explains the signal that followed, so it comes first.
  if (status.oom_killed) {
    if (status.memory_limit_bytes > 0) {
      return "memory limit of " + FormatMegabytes(status.memory_limit_bytes) + " exceeded";
    }
    return "killed by the out-of-memory killer";
  }
  if (status.timed_out) {
    return "wall-time limit of " + FormatDuration(status.time_limit_seconds) + " exceeded";
  }
  if (status.cancelled) return "cancelled (" + DescribeEnd(status) + ")";
  return DescribeEnd(status);
}

}  // namespace gantry::exec
