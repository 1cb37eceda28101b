// `gantry submit`'s own argv: options, then the script and its arguments, as sbatch reads
// them. Pure, thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::submit {

// Flags for the CLI itself, not the job.
struct CliFlags {
  bool json = false;      // --json: print the result as JSON
  bool parsable = false;  // --parsable: print only the job id
  bool wait = false;      // -W/--wait: wait for the job to end
  bool help = false;      // -h/--help
  bool quiet = false;     // -Q/--quiet
  int verbose = 0;        // -v/--verbose, counted
};

struct SubmitCommandLine {
  std::vector<std::string> options;        // the option words: pass as SubmitInput::cli_args
  std::optional<std::string> script_path;  // absent with --wrap, or to read stdin
  std::vector<std::string> script_args;
  std::optional<std::string> wrap;
  CliFlags flags;
};

// `args` are the words after "submit". Options end at the first word that is not one (or
// after "--"); that word is the script and the rest are its arguments. Checks option names
// and that values are present; values themselves are checked by ParseSubmission. With
// --help, returns at once with flags.help set. Errors: kInvalidArgument "command line: ...".
Result<SubmitCommandLine> ParseSubmitArgv(std::span<const std::string> args);

// The --help text, generated from the option table (every option, grouped by effect).
std::string SubmitHelpText();

}  // namespace gantry::submit
