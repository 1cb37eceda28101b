// -a/--array index specifications. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "model/job_spec.h"
#include "model/limits.h"

namespace gantry::submit {

using model::kMaxArrayTaskId;  // the API's bounds too (model/limits.h)
using model::kMaxArrayTasks;

// "0-15", "1,3,5-7", "0-15:4", "1-5%2", optionally in brackets ("[0-3]"). Task ids come out
// sorted and without duplicates (SLURM keeps them in a bitmap); max_concurrent is the number
// after '%' (0 = unlimited); text is the input as written. Errors: kInvalidArgument saying
// what was wrong (negative, reversed, step, too many tasks, id too large, syntax).
Result<model::ArraySpec> ParseArraySpec(std::string_view text);

}  // namespace gantry::submit
