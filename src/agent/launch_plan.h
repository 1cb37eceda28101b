// LaunchPlan: everything about starting one attempt that can be decided without touching
// the machine: environment (GANTRY_*, SLURM_*), argv, output paths, limits. Pure.
#pragma once

#include <string>
#include <vector>

#include "wire/agent_protocol.h"

namespace gantry::agent {

struct LaunchPlan {
  std::vector<std::string> argv;  // the script file, then its arguments
  std::vector<std::string> env;   // "K=V"
  std::string working_dir;
  std::string stdout_path;
  std::string stderr_path;  // == stdout_path when merged
  int64_t memory_limit_bytes = 0;
  int64_t time_limit_seconds = 0;
  int64_t cpus = 1;       // cores to reserve (the whole node's for --exclusive)
  int64_t memory_mb = 0;  // memory to reserve
  int64_t gpus = 0;       // GPU devices to reserve
};

// What the node knows that the assignment does not.
struct NodeContext {
  std::string hostname;     // for %N and SLURMD_NODENAME
  std::string owner_home;   // the job owner's home directory (passwd), "" if unknown
  std::string owner_shell;  // and login shell
  int64_t cores = 0;        // the node's totals, for --exclusive
  int64_t memory_mb = 0;
  int64_t gpus = 0;
};

// attempt_dir: the attempt's own scratch directory (TMPDIR); script_path: where the agent
// writes the batch script.
LaunchPlan PlanLaunch(const wire::Assignment& assignment, const std::string& attempt_dir,
                      const std::string& script_path, const NodeContext& node);

// Gives the job its GPU devices (ids, reserved) in CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS,
// GPU_DEVICE_ORDINAL and GANTRY_GPUS, replacing what its environment carried. On a node with
// GPUs a job without any gets them empty, so that it sees none.
void SetGpuEnvironment(std::vector<std::string>& env, const std::vector<int>& ids,
                       bool node_has_gpus);

}  // namespace gantry::agent
