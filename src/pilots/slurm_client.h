// SlurmClient: the seam between the pilot factory and a SLURM cluster. The real one runs
// SLURM's own clients (sbatch, squeue, sacct, scancel) found through PATH, with SLURM_CONF
// from the environment; tests use a fake. Implementations are thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "pilots/slurm_output.h"

namespace gantry::pilots {

struct BatchRequest {
  std::string script_path;  // the batch script (its #SBATCH lines are SLURM's to read)
  std::string job_name;     // --job-name
  int64_t time_limit_seconds = 0;  // --time (rounded up to whole minutes, as SLURM keeps it)
  int64_t cpus = 1;                // --cpus-per-task
  std::string partition;           // --partition; "" for the cluster's default
  std::string output_path;         // --output; "" for /dev/null
  std::string work_dir;            // --chdir
};

class SlurmClient {
 public:
  virtual ~SlurmClient() = default;
  // The new job's id. Errors carry sbatch's own words.
  virtual Result<std::string> Submit(const BatchRequest& request) = 0;
  // What SLURM knows of these jobs (squeue, then sacct for those squeue has forgotten).
  // A job neither knows is absent from the answer. Unavailable: the controller did not
  // answer.
  virtual Result<std::map<std::string, SlurmJobInfo>> Query(const std::vector<std::string>& ids) = 0;
  virtual Status Cancel(const std::string& id) = 0;
};

// The sbatch command line for a request (pure; for tests and for the docs).
std::vector<std::string> SbatchArgv(const BatchRequest& request);

struct SlurmCommandsOptions {
  int64_t timeout_ms = 30'000;  // per command
};
std::unique_ptr<SlurmClient> NewSlurmCommands(SlurmCommandsOptions options = {});

}  // namespace gantry::pilots
