// The SLURM gateway's translation (issue 13 §5, docs/slurm-gateway.md): a Gantry job as the
// batch script sbatch takes, its #SBATCH lines made from the JobSpec (so a job that came as
// JDL or with command-line options is placed as it asked), the job's own #SBATCH lines
// turned into comments. Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::slurm {

struct Placement {
  std::string partition;    // the SLURM partition ("" : the job's, else the cluster default)
  std::string stdout_path;  // absolute, expanded by the gateway (Gantry's %j, not SLURM's)
  std::string stderr_path;  // "" : with stdout
};

// The script: the job's #! line (or #!/bin/sh), the #SBATCH lines, then the rest of the
// job's script with each of its own "#SBATCH" lines written "#GANTRY-WAS-SBATCH". Errors:
// what SLURM cannot take (a job with dependencies, which Gantry resolves itself; an array,
// which the gateway places task by task).
Result<std::string> SbatchScript(const model::JobSpec& spec, const Placement& placement);

// The #SBATCH option words alone ("--job-name=x", "--time=5", ...), in the order written.
Result<std::vector<std::string>> SbatchOptions(const model::JobSpec& spec,
                                               const Placement& placement);

// sbatch's --time value for seconds: whole minutes, rounded up ("1" for 1 s; "0" never:
// that would mean no limit).
std::string SlurmMinutes(int64_t seconds);

}  // namespace gantry::slurm
