// An attempt's sandbox on an agent that shares no filesystem with the submit host
// (docs/sandbox.md): the job runs in its own directory under the attempt's scratch dir,
// with its input sandbox written there; its stdout and stderr go to files beside it; what
// comes back at the end is listed here. PlanSandbox is pure; WriteInputSandbox does the I/O.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::agent {

struct SandboxPlan {
  std::string dir;            // the job's working directory on this host
  std::string stdout_local;   // where the job's stdout goes here
  std::string stderr_local;   // == stdout_local when stderr joins stdout
  std::string stdout_target;  // the paths on the submit host (the attempt reports them)
  std::string stderr_target;
  std::vector<std::string> output_files;  // relative to dir (and to the working dir there)
};

// attempt_dir: the attempt's scratch directory; *_target: the output paths the job would
// have had with a shared filesystem.
SandboxPlan PlanSandbox(const model::JobSpec& spec, const std::string& attempt_dir,
                        const std::string& stdout_target, const std::string& stderr_target);

// Makes plan.dir and writes the input files into it (subdirectories as named), owned by
// owner when given (a root agent running another user's job).
Status WriteInputSandbox(const model::JobSpec& spec, const SandboxPlan& plan,
                         std::optional<std::pair<uid_t, gid_t>> owner);

}  // namespace gantry::agent
