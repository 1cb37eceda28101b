// Start() failures and the process set-up that precedes exec (stdio, environment, user).
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "exec/process_tree.h"
#include "exec/test_util.h"

namespace gantry::exec {
namespace {

using testing::MakeRequest;
using testing::MakeSupervisor;
using testing::RunToEnd;
using testing::Slurp;
using testing::TempDir;

// Job cgroups left under our supervisor's parent group (none expected after a failed Start).
int LeftoverCgroups(CgroupMode mode) {
  if (mode == CgroupMode::kNone) return 0;
  std::string parent = OwnCgroupDir(mode) + "/gantry." + std::to_string(getpid());
  DIR* dir = opendir(parent.c_str());
  if (dir == nullptr) return 0;
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_type == DT_DIR && entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

TEST(StartErrorsTest, MissingExecutableIsReportedWithThePathSearched) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto handle = supervisor->Start(MakeRequest({"no-such-program-xyz"}, dir), nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(handle.error().message(),
            "executable 'no-such-program-xyz' not found in PATH (/usr/bin:/bin)");
  EXPECT_FALSE(FileExists(dir.File("out.txt"))) << "the output file should have been removed";
  EXPECT_FALSE(FileExists(dir.File("err.txt")));
  EXPECT_EQ(LeftoverCgroups(supervisor->cgroup_mode()), 0);
  EXPECT_EQ(supervisor->ActiveCount(), 0u);
  EXPECT_TRUE(ZombieChildrenOf(getpid()).empty());
}

TEST(StartErrorsTest, NonExecutableFileIsPermissionDenied) {
  TempDir dir;
  testing::WriteText(dir.File("script.sh"), "#!/bin/sh\necho hi\n", 0644);
  auto supervisor = MakeSupervisor();
  auto handle = supervisor->Start(MakeRequest({dir.File("script.sh")}, dir), nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(handle.error().message().find("script.sh' is not executable"), std::string::npos)
      << handle.error().message();
}

TEST(StartErrorsTest, ScriptWithoutInterpreterLineIsExplained) {
  TempDir dir;
  testing::WriteText(dir.File("script"), "echo hi\n", 0755);
  auto supervisor = MakeSupervisor();
  auto handle = supervisor->Start(MakeRequest({dir.File("script")}, dir), nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_NE(handle.error().message().find("'#!' line"), std::string::npos);
}

TEST(StartErrorsTest, MissingWorkingDirectoryIsNamed) {
  TempDir dir;
  auto request = MakeRequest({"true"}, dir);
  request.working_dir = dir.File("gone");
  request.stdout_path = request.stderr_path = "";
  auto supervisor = MakeSupervisor();
  auto handle = supervisor->Start(request, nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(handle.error().message(),
            "working directory '" + dir.File("gone") + "' does not exist");
  EXPECT_EQ(LeftoverCgroups(supervisor->cgroup_mode()), 0);
}

TEST(StartErrorsTest, UnwritableStdoutPathIsNamed) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto request = MakeRequest({"true"}, dir);
  request.stdout_path = dir.File("missing-dir/out.txt");
  auto handle = supervisor->Start(request, nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_NE(handle.error().message().find("cannot open stdout file '" + request.stdout_path +
                                          "' for writing"),
            std::string::npos)
      << handle.error().message();

  request.stdout_path = dir.File("out.txt");
  request.stderr_path = dir.path();  // a directory cannot be opened for writing
  handle = supervisor->Start(request, nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_NE(handle.error().message().find("stderr file '" + dir.path() + "'"), std::string::npos);
  EXPECT_FALSE(FileExists(dir.File("out.txt"))) << "stdout was created and must be removed";
}

TEST(StartErrorsTest, EmptyArgvIsInvalid) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto handle = supervisor->Start(MakeRequest({}, dir), nullptr);
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.error().code(), ErrorCode::kInvalidArgument);
}

TEST(ProcessSetupTest, StdoutAndStderrWithTheSamePathShareOneFile) {
  TempDir dir;
  auto request = MakeRequest({"sh", "-c", "echo one; echo two >&2; echo three"}, dir);
  request.stderr_path = request.stdout_path;
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.Succeeded()) << DescribeExitStatus(status);
  EXPECT_EQ(Slurp(dir.File("out.txt")), "one\ntwo\nthree\n");
}

TEST(ProcessSetupTest, RunsInTheWorkingDirectoryWithExactlyTheGivenEnvironment) {
  TempDir dir;
  auto request = MakeRequest({"sh", "-c", "pwd; env | sort"}, dir);
  request.env = {"GANTRY_X=1"};     // no PATH: the default search path finds sh
  request.stdout_path = "out.txt";  // relative to the working directory
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.Succeeded()) << DescribeExitStatus(status);
  std::string out = Slurp(dir.File("out.txt"));
  EXPECT_TRUE(out.starts_with(dir.path() + "\n")) << out;
  EXPECT_NE(out.find("GANTRY_X=1\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("HOME="), std::string::npos) << out;
}

TEST(ProcessSetupTest, AppendsToAnExistingOutputFile) {
  TempDir dir;
  testing::WriteText(dir.File("out.txt"), "before\n");
  auto supervisor = MakeSupervisor();
  RunToEnd(*supervisor, MakeRequest({"echo", "after"}, dir));
  EXPECT_EQ(Slurp(dir.File("out.txt")), "before\nafter\n");
}

TEST(ProcessSetupTest, DropsToTheRequestedUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  TempDir dir;
  chmod(dir.path().c_str(), 0777);
  auto request = MakeRequest({"sh", "-c", "id -u; id -g"}, dir);
  request.uid = 65534;
  request.gid = 65534;
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.Succeeded()) << DescribeExitStatus(status) << Slurp(dir.File("err.txt"));
  EXPECT_EQ(Slurp(dir.File("out.txt")), "65534\n65534\n");
  struct stat info;
  ASSERT_EQ(stat(dir.File("out.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 65534u) << "output files are created as the user";
}

}  // namespace
}  // namespace gantry::exec
