// --export: which of the submitter's environment variables the job gets. Pure, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::submit {

using Environment = std::map<std::string, std::string>;

// Checks the syntax of an --export value without resolving it.
Status ValidateExport(std::string_view spec);

// The user part of the job's environment (the agent adds its own variables later):
//   no --export (nullopt), ALL   every submitter variable
//   NONE, NIL                    none (SLURM_* variables still pass, as in sbatch)
//   VAR1,VAR2=value,...          only those: VAR1 with the submitter's value (skipped if
//                                unset), VAR2 with the given value; SLURM_* still pass
//   ALL,VAR2=value,...           everything, then the listed ones on top
// Items apply left to right, so a later VAR=value wins. A value may be quoted to contain a
// comma (VAR="a,b"). SLURM_JWT is never passed. When the mode is not ALL, SLURM_EXPORT_ENV
// is set to the spec, as sbatch does, so job steps can follow it.
// Errors: kInvalidArgument saying what was expected.
Result<Environment> ResolveExport(const std::optional<std::string>& spec,
                                  const Environment& submit_env);

}  // namespace gantry::submit
