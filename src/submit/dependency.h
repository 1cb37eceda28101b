// -d/--dependency lists. Pure, thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::submit {

// A parsed --dependency value: the clauses and how they combine.
struct DependencyList {
  std::vector<model::Dependency> clauses;
  bool any = false;  // clauses were joined with '?' (any one suffices) rather than ',' (all)
};

// "afterok:12:13,afterany:14", "afterok:12?afternotok:13", "singleton", "12,13" (bare ids
// mean afterany), job ids "12", "12_3" or "12_*" (stored as "12"). "" and "0" mean no
// dependency. Types: after, afterok, afterany, afternotok, singleton (case-insensitive).
// Errors: kInvalidArgument naming the bad clause (unknown or unsupported type, bad job id,
// mixing ',' and '?', delays "+min", state filters "(...)").
Result<DependencyList> ParseDependency(std::string_view text);

}  // namespace gantry::submit
