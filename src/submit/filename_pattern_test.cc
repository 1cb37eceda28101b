#include "submit/filename_pattern.h"

#include <gtest/gtest.h>

namespace gantry::submit {
namespace {

model::JobSpec Spec() {
  model::JobSpec spec;
  spec.name = "sim";
  spec.working_dir = "/home/alice/run";
  return spec;
}

TEST(FilenamePatternTest, DefaultOutputIsSlurmJobIdDotOut) {
  EXPECT_EQ(StdoutPath(Spec(), {.job_id = 42}, "alice"), "/home/alice/run/slurm-42.out");
  EXPECT_EQ(StderrPath(Spec(), {.job_id = 42}, "alice"), "");
}

TEST(FilenamePatternTest, ArraysDefaultToArrayIdUnderscoreTaskId) {
  model::JobSpec spec = Spec();
  spec.array = model::ArraySpec{{0, 1, 2}, 0, "0-2"};
  EXPECT_EQ(DefaultOutputPattern(true), "slurm-%A_%a.out");
  EXPECT_EQ(StdoutPath(spec, {.job_id = 45, .array_job_id = 43, .array_task_id = 2}, "alice"),
            "/home/alice/run/slurm-43_2.out");
}

TEST(FilenamePatternTest, RelativePatternsAreUnderTheWorkingDirectory) {
  model::JobSpec spec = Spec();
  spec.stdout_pattern = "logs/%x-%j.out";
  spec.stderr_pattern = "/var/tmp/%u/%x.err";
  EXPECT_EQ(StdoutPath(spec, {.job_id = 7}, "alice"), "/home/alice/run/logs/sim-7.out");
  EXPECT_EQ(StderrPath(spec, {.job_id = 7}, "alice"), "/var/tmp/alice/sim.err");
}

TEST(FilenamePatternTest, HostnameFillsPercentNWhenKnown) {
  EXPECT_EQ(ExpandFilenamePattern("%N-%j.out", {.job_id = 7}, "j", "u", "node01"), "node01-7.out");
  EXPECT_EQ(ExpandFilenamePattern("%N-%j.out", {.job_id = 7}, "j", "u"), "%N-7.out");
}

}  // namespace
}  // namespace gantry::submit
