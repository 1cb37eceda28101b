#include "agent/sandbox.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::agent {
namespace {

model::JobSpec Spec() {
  model::JobSpec s;
  s.working_dir = "/home/alice/run";
  s.input_files = {{"in.txt", "in.txt", "hello\n", false},
                   {"tool.sh", "bin/tool.sh", "#!/bin/sh\n", true}};
  s.output_files = {"out/result.txt", "log.txt"};
  return s;
}

TEST(SandboxTest, PlansTheJobsDirectoryAndItsOutputsInTheAttemptDir) {
  SandboxPlan p = PlanSandbox(Spec(), "/scratch/a1", "/home/alice/run/slurm-7.out",
                              "/home/alice/run/slurm-7.out");
  EXPECT_EQ(p.dir, "/scratch/a1/sandbox");
  EXPECT_EQ(p.stdout_local, "/scratch/a1/stdout");
  EXPECT_EQ(p.stderr_local, p.stdout_local);  // merged, as on the submit host
  EXPECT_EQ(p.stdout_target, "/home/alice/run/slurm-7.out");
  EXPECT_EQ(p.output_files, (std::vector<std::string>{"out/result.txt", "log.txt"}));
  SandboxPlan split = PlanSandbox(Spec(), "/scratch/a1", "/r/o", "/r/e");
  EXPECT_EQ(split.stderr_local, "/scratch/a1/stderr");
}

TEST(SandboxTest, WritesTheInputsWithTheirModesAndMakesOutputDirectories) {
  TempDir tmp;
  SandboxPlan p = PlanSandbox(Spec(), tmp.path(), "/r/o", "/r/o");
  ASSERT_TRUE(WriteInputSandbox(Spec(), p, std::nullopt));
  EXPECT_EQ(*ReadFile(p.dir + "/in.txt"), "hello\n");
  struct stat st;
  ASSERT_EQ(stat((p.dir + "/tool.sh").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  ASSERT_EQ(stat((p.dir + "/in.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  ASSERT_EQ(stat((p.dir + "/out").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST(SandboxTest, DoesNotFollowASymlinkPlantedInTheSandbox) {
  TempDir tmp;
  SandboxPlan p = PlanSandbox(Spec(), tmp.path(), "/r/o", "/r/o");
  ASSERT_TRUE(MakeDirs(p.dir, 0755));
  ASSERT_EQ(symlink(tmp.File("elsewhere").c_str(), (p.dir + "/in.txt").c_str()), 0);
  EXPECT_FALSE(WriteInputSandbox(Spec(), p, std::nullopt));
  struct stat st;
  EXPECT_NE(stat(tmp.File("elsewhere").c_str(), &st), 0);
}

}  // namespace
}  // namespace gantry::agent
