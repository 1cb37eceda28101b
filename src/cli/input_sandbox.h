// Reading a job's input sandbox at submission (docs/sandbox.md): the bytes of each file
// --input-files or InputSandbox named, relative to the submit directory, within the limits
// of model/limits.h, checked before anything is read.
#pragma once

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::cli {

// Fills spec.input_files[*].content (and .executable). Fails, naming the file, when one is
// missing, not a regular file, unreadable, or when the sandbox would exceed its limit.
Status LoadInputSandbox(model::JobSpec& spec);

}  // namespace gantry::cli
