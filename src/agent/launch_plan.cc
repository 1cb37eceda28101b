#include "agent/launch_plan.h"

#include <algorithm>
#include <map>

#include "exec/gpus.h"
#include "submit/filename_pattern.h"

namespace gantry::agent {

LaunchPlan PlanLaunch(const wire::Assignment& a, const std::string& attempt_dir,
                      const std::string& script_path, const NodeContext& node) {
  const std::string& hostname = node.hostname;
  const model::Job& job = *a.job;
  const model::JobSpec& spec = job.spec;
  const model::Task& task = a.task;
  LaunchPlan plan;
  plan.argv.push_back(script_path);
  plan.argv.insert(plan.argv.end(), spec.script_args.begin(), spec.script_args.end());
  plan.working_dir = spec.working_dir;

  submit::JobIds ids;
  ids.job_id = task.id;
  if (task.array_index) {
    ids.array_job_id = job.id;
    ids.array_task_id = task.array_index;
  }
  plan.stdout_path = submit::StdoutPath(spec, ids, job.owner.name, hostname);
  plan.stderr_path = submit::StderrPath(spec, ids, job.owner.name, hostname);
  if (plan.stderr_path.empty()) plan.stderr_path = plan.stdout_path;
  plan.memory_limit_bytes = spec.memory_mb * 1024 * 1024;
  plan.memory_mb = spec.memory_mb;
  plan.time_limit_seconds = spec.time_limit_seconds;
  plan.cpus = spec.TotalCpus();
  plan.gpus = spec.gpus;
  if (spec.exclusive) {  // the whole node, as sbatch --exclusive
    plan.cpus = std::max(node.cores, plan.cpus);
    plan.memory_mb = std::max(node.memory_mb, plan.memory_mb);
    plan.gpus = std::max(node.gpus, plan.gpus);
  }

  // The job's own environment first; what the agent sets wins, as with slurmd. Even with
  // --export=NONE a job has the basics of its owner's login environment, as with sbatch.
  std::map<std::string, std::string> env = spec.environment;
  env.try_emplace("USER", job.owner.name);
  env.try_emplace("LOGNAME", job.owner.name);
  if (!node.owner_home.empty()) env.try_emplace("HOME", node.owner_home);
  if (!node.owner_shell.empty()) env.try_emplace("SHELL", node.owner_shell);
  env.try_emplace("PATH", "/usr/local/bin:/usr/bin:/bin");
  auto set = [&env](const std::string& k, const std::string& v) { env[k] = v; };
  auto set_both = [&](const std::string& suffix, const std::string& v) {
    set("GANTRY_" + suffix, v);
    set("SLURM_" + suffix, v);
  };
  std::string job_id = std::to_string(task.id);
  set_both("JOB_ID", job_id);
  set("SLURM_JOBID", job_id);
  set_both("NTASKS", std::to_string(spec.ntasks));
  set("SLURM_NPROCS", std::to_string(spec.ntasks));
  set_both("CPUS_PER_TASK", std::to_string(spec.cpus_per_task));
  set_both("SUBMIT_DIR", spec.submit_dir);
  set_both("JOB_NAME", spec.name);
  set("SLURM_JOB_USER", job.owner.name);
  set("SLURM_JOB_UID", std::to_string(job.owner.uid));
  set("SLURM_JOB_NUM_NODES", "1");
  set("SLURM_NNODES", "1");
  set("SLURM_JOB_NODELIST", hostname);
  set("SLURM_NODELIST", hostname);
  set("SLURMD_NODENAME", hostname);
  set("SLURM_CPUS_ON_NODE", std::to_string(plan.cpus));
  set("SLURM_JOB_CPUS_PER_NODE", std::to_string(plan.cpus));
  if (plan.gpus) set("SLURM_GPUS_ON_NODE", std::to_string(plan.gpus));
  set("SLURM_JOB_PARTITION", spec.partition.empty() ? "local" : spec.partition);
  set("SLURM_RESTART_COUNT", std::to_string(a.attempt.number - 1));
  if (spec.memory_mb) set("SLURM_MEM_PER_NODE", std::to_string(spec.memory_mb));
  if (!spec.account.empty()) set("SLURM_JOB_ACCOUNT", spec.account);
  set("GANTRY_ATTEMPT", std::to_string(a.attempt.number));
  set("GANTRY_ATTEMPT_DIR", attempt_dir);
  set("TMPDIR", attempt_dir);
  if (task.array_index) {
    set_both("ARRAY_JOB_ID", std::to_string(job.id));
    set_both("ARRAY_TASK_ID", std::to_string(*task.array_index));
    set_both("ARRAY_TASK_COUNT", std::to_string(a.array_task_count));
    const auto& ids_list = spec.array->task_ids;  // ascending (JobSpec validation)
    if (!ids_list.empty()) {
      set_both("ARRAY_TASK_MIN", std::to_string(ids_list.front()));
      set_both("ARRAY_TASK_MAX", std::to_string(ids_list.back()));
    }
  }
  for (auto& [k, v] : env) plan.env.push_back(k + "=" + v);
  return plan;
}

void SetGpuEnvironment(std::vector<std::string>& env, const std::vector<int>& ids,
                       bool node_has_gpus) {
  static constexpr std::string_view kNames[] = {"CUDA_VISIBLE_DEVICES=", "SLURM_JOB_GPUS=",
                                                "GPU_DEVICE_ORDINAL=", "GANTRY_GPUS="};
  std::erase_if(env, [](const std::string& var) {
    return std::any_of(std::begin(kNames), std::end(kNames),
                       [&](std::string_view name) { return var.starts_with(name); });
  });
  if (!node_has_gpus && ids.empty()) return;
  const std::string list = exec::GpuList(ids);
  for (std::string_view name : kNames) {
    // SLURM sets SLURM_JOB_GPUS only for jobs that have GPUs.
    if (ids.empty() && name == "SLURM_JOB_GPUS=") continue;
    env.push_back(std::string(name) + list);
  }
}

}  // namespace gantry::agent
