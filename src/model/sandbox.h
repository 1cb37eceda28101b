// The rules for a job's sandboxes (docs/sandbox.md): which names may travel and how much.
// ValidateJobSpec applies them to every job, whichever front end made it. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::model {

// A name in a sandbox: a relative path ("data/in.txt") without "." or ".." components,
// empty components, a NUL byte or a trailing '/'. field: for the message.
Status CheckSandboxName(std::string_view field, std::string_view name);
// Names, count and total size of the input sandbox (model/limits.h), and the output names.
Status ValidateSandbox(const JobSpec& spec);
// "8.0 MiB", "512 bytes": for messages about sizes.
std::string ByteSize(int64_t bytes);

}  // namespace gantry::model
