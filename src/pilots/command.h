// Running one of SLURM's client programs: argv (found through PATH, no shell), the
// environment inherited (SLURM_CONF), stdout and stderr captured, a deadline. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::pilots {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal (then signal is set)
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs argv[0] with argv until it exits or timeout_ms passes (then it is killed: an
// Unavailable error saying so). A program not found is a NotFound error naming PATH.
Result<CommandResult> RunCommand(const std::vector<std::string>& argv, int64_t timeout_ms);

// "sbatch: error: ..." in one line: stderr (else stdout) trimmed, for error messages.
std::string CommandOutputLine(const CommandResult& result);

}  // namespace gantry::pilots
