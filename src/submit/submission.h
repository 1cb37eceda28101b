// ParseSubmission: a batch script (or --wrap command) plus `gantry submit` options in, a
// JobSpec out, with sbatch's rules. Pure: the caller reads files and the environment and
// passes them in. Thread-safe (no shared state).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::submit {

struct SubmitInput {
  std::string script_text;            // the script file's contents ("" with --wrap)
  std::string script_name;            // its path as the user typed it, for messages and the default
                                      // job name ("" with --wrap, or when read from stdin)
  std::vector<std::string> cli_args;  // the option words before the script (may hold --wrap)
  std::optional<std::string> wrap;    // --wrap's command, if the caller took it out already
  std::vector<std::string> script_args;           // words after the script name: $1, $2, ...
  std::string submit_dir;                         // absolute; -D and relative paths start here
  std::map<std::string, std::string> submit_env;  // the submitter's environment
  std::string user;
  TimeMicros now = 0;         // for --begin
  int tz_offset_seconds = 0;  // local time = UTC + this, for --begin
};

// Reads the script's #SBATCH and #GANTRY lines (up to its first command), then the command
// line; for the same option #GANTRY beats #SBATCH and the command line beats both. Options
// SLURM accepts but Gantry ignores land in JobSpec::warnings ("job.sh:5: --mail-type is
// accepted ..."). Errors: kInvalidArgument "<where>: <what> [: expected ...]" where <where>
// is "job.sh:4" or "command line".
Result<model::JobSpec> ParseSubmission(const SubmitInput& input);

}  // namespace gantry::submit
