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
};

struct RunRequest {
  std::vector<std::string> args;      // after "gantry run"
  std::vector<std::string> env;       // extra KEY=VALUE
  std::string stdin_data;
  std::string signal_when_out_has;    // send `signal` to gantry once stdout contains this
  int signal = SIGTERM;
  double deadline_seconds = 90;
};

RunResult RunGantry(const RunRequest& request);

// Lines of `text` containing `needle`.
int CountLines(const std::string& text, const std::string& needle);

}  // namespace gantry::testing
