// The states of accounting records, as sacct names them, and -s/--state lists. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::acct {

// "cd,F,timeout": long or short names (CD COMPLETED, F FAILED, CA CANCELLED, TO TIMEOUT,
// OOM OUT_OF_MEMORY, NF NODE_FAIL; SLURM's other states, which Gantry records never have, are
// accepted and match nothing), case-insensitive. Returns long names, without duplicates.
Result<std::vector<std::string>> ParseStates(std::string_view text);

}  // namespace gantry::acct
