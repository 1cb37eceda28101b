// -t/--time values, as sbatch accepts them. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/error.h"

namespace gantry::submit {

// Seconds for "minutes", "minutes:seconds", "hours:minutes:seconds", "days-hours",
// "days-hours:minutes", "days-hours:minutes:seconds"; 0 for "0", "-1", "UNLIMITED" and
// "INFINITE" (no limit). Unlike SLURM, seconds are kept, not rounded up to a minute.
// Errors: kInvalidArgument whose message says what was expected (callers prefix the option
// and where it came from).
Result<int64_t> ParseTimeLimit(std::string_view text);

}  // namespace gantry::submit
