// The command line of `gantry run` (docs/run.md): Gantry's own options, each also as
// `--opt=value`, and the common spellings of mpiexec.hydra and mpirun (-np, -ppn,
// -genv NAME VALUE, -x NAME[=VALUE]). Parsing stops at `--` or at the first word that is not
// an option (PROGRAM): what follows belongs to the program. Pure: thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "launch/launcher.h"

namespace gantry::launch {

// The most ranks one `gantry run` starts (a typo such as -n 99999999999999 is refused).
inline constexpr int kMaxRanks = 1'000'000;

struct RunArguments {
  LaunchOptions options;
  bool help = false;
  bool have_size = false;  // -n was given
};

// `args` are the words after "run". `getenv` answers -x NAME (without a value).
Result<RunArguments> ParseRunArguments(const std::vector<std::string>& args,
                                       const std::function<const char*(const char*)>& getenv);

}  // namespace gantry::launch
