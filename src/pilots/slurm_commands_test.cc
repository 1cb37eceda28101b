#include <gtest/gtest.h>

#include "pilots/slurm_client.h"

namespace gantry::pilots {
namespace {

TEST(SbatchArgvTest, NamesTimeInWholeMinutesCpusPartitionAndOutput) {
  BatchRequest r;
  r.script_path = "/h/pilots/p.sh";
  r.job_name = "gantry-pilot";
  r.time_limit_seconds = 90;
  r.cpus = 2;
  r.partition = "debug";
  r.output_path = "/h/pilots/slurm-%j.out";
  r.work_dir = "/h/pilots";
  std::vector<std::string> want = {"sbatch", "--parsable", "--job-name=gantry-pilot",
                                   "--cpus-per-task=2", "--nodes=1", "--ntasks=1", "--time=2",
                                   "--partition=debug", "--output=/h/pilots/slurm-%j.out",
                                   "--chdir=/h/pilots", "/h/pilots/p.sh"};
  EXPECT_EQ(SbatchArgv(r), want);
}

TEST(SbatchArgvTest, DefaultsLeaveTimeAndPartitionToSlurm) {
  BatchRequest r;
  r.script_path = "p.sh";
  r.job_name = "n";
  std::vector<std::string> want = {"sbatch", "--parsable", "--job-name=n", "--cpus-per-task=1",
                                   "--nodes=1", "--ntasks=1", "--output=/dev/null", "p.sh"};
  EXPECT_EQ(SbatchArgv(r), want);
}

}  // namespace
}  // namespace gantry::pilots
