// The one option table behind #SBATCH lines, #GANTRY lines and `gantry submit`'s command
// line: names, value syntax, where each option may appear, what Gantry does with it, help.
// The table is immutable: thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::submit {

namespace internal {
struct SubmitState;
}

// Where an option occurrence came from. Later sources override earlier ones.
enum class OptionSource { kSbatchLine, kGantryLine, kCommandLine };

enum class ArgKind {
  kNone,      // --hold
  kRequired,  // --time=1:00, --time 1:00, -t1:00, -t 1:00
  kOptional,  // --nice, --nice=10 (never --nice 10, as with getopt_long)
};

enum class Scope {
  kEverywhere,       // #SBATCH, #GANTRY and the command line
  kGantryOnly,       // #GANTRY and the command line (e.g. --max-retries)
  kCommandLineOnly,  // e.g. --wrap, --json: an error in a script
};

enum class Effect {
  kActed,            // changes the JobSpec
  kCommandLineFlag,  // read by ParseSubmitArgv; in a script: accepted with a warning
  kWarnOnly,         // SLURM accepts it, Gantry ignores it: accepted with a warning
  kRejected,         // SLURM accepts it, Gantry cannot honour it: an error
};

struct OptionDef;
// Applies one occurrence; `value` is absent for kNone options and for a bare kOptional one.
// Returns an error message without the location prefix.
using OptionHandler = Status (*)(const OptionDef& def, std::optional<std::string_view> value,
                                 internal::SubmitState& state);

struct OptionDef {
  std::string_view long_name;  // without "--"
  char short_name;             // 0 = none
  ArgKind arg;
  std::string_view value_name;  // for help: "TIME"
  Scope scope;
  Effect effect;
  std::string_view help;
  OptionHandler handler;
};

// Every option, in help order.
std::span<const OptionDef> SubmitOptions();

// The option named `name` (without "--"): an exact match, else the only option it is a
// prefix of (as getopt_long allows). Errors: kNotFound, or kInvalidArgument if ambiguous.
Result<const OptionDef*> FindLongOption(std::string_view name);
const OptionDef* FindShortOption(char name);

// "-t, --time=TIME" / "--nice[=N]" / "-H, --hold".
std::string OptionSynopsis(const OptionDef& def);

}  // namespace gantry::submit
