#include "agent/launch_plan.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace gantry::agent {
namespace {

wire::Assignment ArrayTask() {
  auto job = std::make_shared<model::Job>();
  job->id = 40;
  job->owner = {1000, 1000, "alice"};
  job->spec.name = "sweep";
  job->spec.submit_dir = "/home/alice";
  job->spec.working_dir = "/home/alice/run";
  job->spec.ntasks = 2;
  job->spec.cpus_per_task = 3;
  job->spec.memory_mb = 100;
  job->spec.environment = {{"PATH", "/usr/bin"}, {"SLURM_JOB_ID", "stale"}};
  job->spec.array = model::ArraySpec{{1, 3, 5}, 0, "1-5:2"};
  job->spec.script_args = {"a", "b"};
  wire::Assignment a;
  a.job = job;
  a.task.id = 41;
  a.task.job_id = 40;
  a.task.array_index = 3;
  a.attempt.number = 1;
  a.array_task_count = 3;
  return a;
}

bool Has(const LaunchPlan& p, const std::string& kv) {
  return std::find(p.env.begin(), p.env.end(), kv) != p.env.end();
}

TEST(LaunchPlanTest, SetsGantryAndSlurmVariablesForAnArrayTask) {
  LaunchPlan p = PlanLaunch(ArrayTask(), "/scratch/7", "/scratch/7/script", {"node1", "/home/alice", "/bin/bash"});
  for (const char* kv : {"GANTRY_JOB_ID=41", "SLURM_JOB_ID=41", "GANTRY_ARRAY_JOB_ID=40",
                         "SLURM_ARRAY_JOB_ID=40", "GANTRY_ARRAY_TASK_ID=3",
                         "SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_COUNT=3",
                         "GANTRY_NTASKS=2", "SLURM_NTASKS=2", "GANTRY_CPUS_PER_TASK=3",
                         "SLURM_CPUS_PER_TASK=3", "GANTRY_SUBMIT_DIR=/home/alice",
                         "SLURM_SUBMIT_DIR=/home/alice", "SLURM_JOB_NAME=sweep",
                         "PATH=/usr/bin", "TMPDIR=/scratch/7", "SLURM_ARRAY_TASK_MIN=1",
                         "SLURM_ARRAY_TASK_MAX=5"}) {
    EXPECT_TRUE(Has(p, kv)) << kv;
  }
  EXPECT_FALSE(Has(p, "SLURM_JOB_ID=stale"));
  EXPECT_TRUE(Has(p, "HOME=/home/alice"));
  EXPECT_TRUE(Has(p, "USER=alice"));
}

TEST(LaunchPlanTest, ArgvLimitsAndDefaultOutput) {
  LaunchPlan p = PlanLaunch(ArrayTask(), "/scratch/7", "/scratch/7/script", {"node1", "/home/alice", "/bin/bash"});
  EXPECT_EQ(p.argv, (std::vector<std::string>{"/scratch/7/script", "a", "b"}));
  EXPECT_EQ(p.cpus, 6);
  EXPECT_EQ(p.memory_limit_bytes, 100 * 1024 * 1024);
  EXPECT_EQ(p.stdout_path, "/home/alice/run/slurm-40_3.out");
  EXPECT_EQ(p.stderr_path, p.stdout_path);
  EXPECT_EQ(p.working_dir, "/home/alice/run");
}

TEST(LaunchPlanTest, AnExclusiveJobReservesTheWholeNode) {
  wire::Assignment a = ArrayTask();
  auto job = std::make_shared<model::Job>(*a.job);
  job->spec.exclusive = true;
  a.job = job;
  LaunchPlan p = PlanLaunch(a, "/scratch/7", "/scratch/7/script",
                            {"node1", "/home/alice", "/bin/bash", 16, 64000, 2});
  EXPECT_EQ(p.cpus, 16);
  EXPECT_EQ(p.memory_mb, 64000);
  EXPECT_EQ(p.gpus, 2);
  EXPECT_TRUE(Has(p, "SLURM_CPUS_ON_NODE=16"));
  EXPECT_TRUE(Has(p, "SLURM_GPUS_ON_NODE=2"));
}

TEST(GpuEnvironmentTest, AJobSeesItsOwnDevicesAndNoStaleOnes) {
  std::vector<std::string> env = {"PATH=/bin", "CUDA_VISIBLE_DEVICES=0,1,2,3"};
  SetGpuEnvironment(env, {1, 3}, true);
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/bin", "CUDA_VISIBLE_DEVICES=1,3",
                                           "SLURM_JOB_GPUS=1,3", "GPU_DEVICE_ORDINAL=1,3",
                                           "GANTRY_GPUS=1,3"}));
}

TEST(GpuEnvironmentTest, AJobWithoutGpusOnAGpuNodeSeesNone) {
  std::vector<std::string> env = {"CUDA_VISIBLE_DEVICES=0"};
  SetGpuEnvironment(env, {}, true);
  EXPECT_EQ(env, (std::vector<std::string>{"CUDA_VISIBLE_DEVICES=", "GPU_DEVICE_ORDINAL=",
                                           "GANTRY_GPUS="}));
  std::vector<std::string> plain = {"CUDA_VISIBLE_DEVICES=0", "HOME=/h"};
  SetGpuEnvironment(plain, {}, false);
  EXPECT_EQ(plain, std::vector<std::string>{"HOME=/h"});
}

}  // namespace
}  // namespace gantry::agent
