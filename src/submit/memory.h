// --mem / --mem-per-cpu sizes, as sbatch accepts them. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/error.h"

namespace gantry::submit {

// Mebibytes for "<number>[K|M|G|T][B]" (case-insensitive; no unit = M). K rounds up to whole
// MiB, as SLURM does. 0 is allowed (SLURM: "all the memory of the node"; JobSpec: none).
// Errors: kInvalidArgument saying what was expected.
Result<int64_t> ParseMemory(std::string_view text);

}  // namespace gantry::submit
