// Test helper: runs the real `gantry run` binary with pipes for its stdio and a deadline.
// Thread-compatible.
#pragma once

#include <csignal>
#include <string>
#include <vector>

namespace gantry::testing {

struct RunResult {
  int exit_code = -1;   // exit status, or 128 + signal
  std::string out;
  std::string err;
  double seconds = 0;
  bool timed_out = false;
  int pid = -1;         // gantry's
};

struct RunRequest {
  std::vector<std::string> args;      // after "gantry run"
  std::vector<std::string> env;       // extra KEY=VALUE
  std::string stdin_data;
  std::string signal_when_out_has;    // send `signal` to gantry once stdout contains this
  int signal_when_count = 1;          // ... on this many lines
  int signal = SIGTERM;
  std::string close_out_when_has;     // close our end of gantry's stdout once it has this
  int max_open_files = 0;             // RLIMIT_NOFILE for gantry (0: unchanged)
  double deadline_seconds = 90;
};

RunResult RunGantry(const RunRequest& request);

// Lines of `text` containing `needle`.
int CountLines(const std::string& text, const std::string& needle);

// The numbers after "pid " in `text` (ranks that print "rank R pid P").
std::vector<int> PidsIn(const std::string& text);

// Waits (bounded) until none of `pids` runs; a zombie counts as gone. False if some still run.
bool AllGone(const std::vector<int>& pids);

}  // namespace gantry::testing
