// Real processes through ProcessSupervisor: exit codes, signals, usage, limits, shutdown.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "exec/process_supervisor.h"
#include "exec/process_tree.h"
#include "exec/test_util.h"

namespace gantry::exec {
namespace {

using testing::ExitWaiter;
using testing::HelperPath;
using testing::MakeRequest;
using testing::MakeSupervisor;
using testing::RunToEnd;
using testing::Slurp;
using testing::TempDir;
using testing::WriteText;

TEST(ProcessSupervisorTest, RecordsTheExitCode) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, MakeRequest({HelperPath(), "exit", "3"}, dir));
  EXPECT_EQ(status.exit_code, 3);
  EXPECT_EQ(status.signal, 0);
  EXPECT_EQ(DescribeExitStatus(status), "exited with status 3");
  EXPECT_FALSE(status.cancelled || status.timed_out || status.oom_killed);
}

// sbatch --open-mode: truncate (SLURM's default) empties an existing output file, append
// keeps what it held.
TEST(ProcessSupervisorTest, OutputFilesAreTruncatedOrAppendedToAsAsked) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  SpawnRequest request = MakeRequest({"/bin/sh", "-c", "echo new; echo new-err >&2"}, dir);
  WriteText(request.stdout_path, "old\n");
  WriteText(request.stderr_path, "old-err\n");
  request.output_mode = SpawnRequest::OutputMode::kTruncate;
  EXPECT_EQ(RunToEnd(*supervisor, request).exit_code, 0);
  EXPECT_EQ(Slurp(request.stdout_path), "new\n");
  EXPECT_EQ(Slurp(request.stderr_path), "new-err\n");
  request.output_mode = SpawnRequest::OutputMode::kAppend;
  EXPECT_EQ(RunToEnd(*supervisor, request).exit_code, 0);
  EXPECT_EQ(Slurp(request.stdout_path), "new\nnew\n");
  EXPECT_EQ(Slurp(request.stderr_path), "new-err\nnew-err\n");
}

TEST(ProcessSupervisorTest, RecordsTheKillingSignal) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, MakeRequest({HelperPath(), "raise", "9"}, dir));
  EXPECT_EQ(status.signal, SIGKILL);
  EXPECT_EQ(status.exit_code, -1);
  EXPECT_EQ(DescribeExitStatus(status), "killed by signal 9 (SIGKILL)");
}

// What the agent ignores (SIGPIPE, say) must not stay ignored in the job.
TEST(ProcessSupervisorTest, TheJobStartsWithDefaultSignalDispositions) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto old_usr1 = signal(SIGUSR1, SIG_IGN);
  auto old_usr2 = signal(SIGUSR2, [](int) {});
  ExitStatus ignored = RunToEnd(*supervisor, MakeRequest({HelperPath(), "raise-inherited", "10"}, dir));
  ExitStatus caught = RunToEnd(*supervisor, MakeRequest({HelperPath(), "raise-inherited", "12"}, dir));
  signal(SIGUSR1, old_usr1);
  signal(SIGUSR2, old_usr2);
  EXPECT_EQ(ignored.signal, SIGUSR1) << DescribeExitStatus(ignored);
  EXPECT_EQ(caught.signal, SIGUSR2) << DescribeExitStatus(caught);
}

TEST(ProcessSupervisorTest, MeasuresUserCpuTime) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, MakeRequest({HelperPath(), "burn", "0.3"}, dir));
  EXPECT_TRUE(status.Succeeded()) << DescribeExitStatus(status);
  EXPECT_GT(status.usage.user_cpu_seconds, 0.2);
  EXPECT_GE(status.usage.wall_seconds, status.usage.user_cpu_seconds * 0.9);
}

TEST(ProcessSupervisorTest, MeasuresMaxResidentMemory) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitStatus status = RunToEnd(*supervisor, MakeRequest({HelperPath(), "alloc", "50"}, dir));
  EXPECT_TRUE(status.Succeeded()) << DescribeExitStatus(status);
  EXPECT_GT(status.usage.max_rss_kb, 50 * 1024);
  if (supervisor->cgroup_mode() != CgroupMode::kNone) {
    EXPECT_GT(status.usage.peak_memory_kb, 50 * 1024);
  }
}

TEST(ProcessSupervisorTest, TimeLimitSendsTermThenKillAfterTheGrace) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto request = MakeRequest({HelperPath(), "ignore-term", "30"}, dir);
  request.time_limit_seconds = 1;
  request.kill_grace_seconds = 1;
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.timed_out);
  EXPECT_EQ(status.signal, SIGKILL);
  EXPECT_EQ(Slurp(dir.File("out.txt")), "ignoring SIGTERM\n");
  EXPECT_EQ(DescribeExitStatus(status), "wall-time limit of 0:00:01 exceeded");
}

TEST(ProcessSupervisorTest, TimeLimitEndsAWellBehavedProcessWithTerm) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto request = MakeRequest({"sleep", "30"}, dir);
  request.time_limit_seconds = 1;
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.timed_out);
  EXPECT_EQ(status.signal, SIGTERM);
}

// Regression (issue 11): "time_limit_seconds":10000000000000 overflowed the deadline into
// the past and the job was killed at once for exceeding its wall-time limit.
TEST(ProcessSupervisorTest, AHugeTimeLimitIsNoLimitNotAnInstantKill) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  for (int64_t limit : {int64_t{10'000'000'000'000}, INT64_MAX}) {
    auto request = MakeRequest({"sleep", "0.2"}, dir);
    request.time_limit_seconds = limit;
    ExitStatus status = RunToEnd(*supervisor, request);
    EXPECT_FALSE(status.timed_out) << limit << ": " << DescribeExitStatus(status);
    EXPECT_TRUE(status.Succeeded()) << limit << ": " << DescribeExitStatus(status);
  }
}

// The same for the kill grace: a huge one means SIGTERM alone, never an early SIGKILL.
TEST(ProcessSupervisorTest, AHugeKillGraceDoesNotKillAtOnce) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  auto request = MakeRequest({"sleep", "30"}, dir);
  request.kill_grace_seconds = INT64_MAX;
  ExitWaiter waiter;
  auto handle = supervisor->Start(request, waiter.Callback());
  ASSERT_TRUE(handle) << handle.error().message();
  ASSERT_TRUE(supervisor->Kill(*handle, KillMode::kCancel));
  ExitStatus status = waiter.Wait();
  EXPECT_TRUE(status.cancelled);
  EXPECT_EQ(status.signal, SIGTERM) << DescribeExitStatus(status);
}

TEST(ProcessSupervisorTest, CgroupMemoryLimitKillsAndReportsOom) {
  CgroupMode mode = CgroupManager::Detect();
  if (mode == CgroupMode::kNone) GTEST_SKIP() << "no writable memory cgroup here";
  TempDir dir;
  auto supervisor = MakeSupervisor({.cgroup_mode = mode});
  auto request = MakeRequest({HelperPath(), "alloc", "200"}, dir);
  request.memory_limit_bytes = 32 << 20;
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.oom_killed) << DescribeExitStatus(status);
  EXPECT_EQ(status.signal, SIGKILL);
  EXPECT_EQ(DescribeExitStatus(status), "memory limit of 32 MB exceeded");
}

// Cgroups are pooled: the attempt after an OOM kill, in the same group, starts afresh.
TEST(ProcessSupervisorTest, AnAttemptInAPooledCgroupHasItsOwnPeakAndOomVerdict) {
  CgroupMode mode = CgroupManager::Detect();
  if (mode == CgroupMode::kNone) GTEST_SKIP() << "no writable memory cgroup here";
  TempDir dir;
  auto supervisor = MakeSupervisor({.cgroup_mode = mode});
  auto big = MakeRequest({HelperPath(), "alloc", "200"}, dir);
  big.memory_limit_bytes = 32 << 20;
  ASSERT_TRUE(RunToEnd(*supervisor, big).oom_killed);

  auto small = MakeRequest({HelperPath(), "alloc", "8"}, dir);
  ExitStatus status = RunToEnd(*supervisor, small);
  EXPECT_EQ(status.exit_code, 0) << DescribeExitStatus(status);
  EXPECT_FALSE(status.oom_killed);
  EXPECT_GT(status.usage.peak_memory_kb, 8 * 1024);
  EXPECT_LT(status.usage.peak_memory_kb, 30 * 1024) << "the earlier attempt's peak is not carried over";

  auto limited = MakeRequest({HelperPath(), "alloc", "40"}, dir);
  limited.memory_limit_bytes = 128 << 20;
  status = RunToEnd(*supervisor, limited);
  EXPECT_EQ(status.exit_code, 0) << DescribeExitStatus(status);
  EXPECT_FALSE(status.oom_killed);
}

TEST(ProcessSupervisorTest, FallbackMemoryLimitMakesAllocationFail) {
  TempDir dir;
  auto supervisor = MakeSupervisor({.cgroup_mode = CgroupMode::kNone});
  auto request = MakeRequest({HelperPath(), "alloc", "200"}, dir);
  request.memory_limit_bytes = 64 << 20;
  ExitStatus status = RunToEnd(*supervisor, request);
  EXPECT_EQ(status.exit_code, 3) << DescribeExitStatus(status);
  EXPECT_NE(Slurp(dir.File("err.txt")).find("allocation of"), std::string::npos);
  EXPECT_FALSE(status.oom_killed) << "without a cgroup nothing can tell an OOM kill";

  request.argv = {HelperPath(), "alloc", "10"};
  EXPECT_TRUE(RunToEnd(*supervisor, request).Succeeded()) << "a job within its limit runs";
}

TEST(ProcessSupervisorTest, CancelEndsTheProcessAndMarksItCancelled) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitWaiter waiter;
  auto handle = supervisor->Start(MakeRequest({"sleep", "30"}, dir), waiter.Callback());
  ASSERT_TRUE(handle.has_value());
  ASSERT_TRUE(supervisor->Kill(*handle, KillMode::kCancel).has_value());
  ExitStatus status = waiter.Wait();
  EXPECT_TRUE(status.cancelled);
  EXPECT_EQ(status.signal, SIGTERM);
  EXPECT_FALSE(supervisor->Kill(*handle, KillMode::kCancel).has_value()) << "already ended";
}

TEST(ProcessSupervisorTest, ShutdownKillsAndReportsEverything) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitWaiter first, second;
  ASSERT_TRUE(supervisor->Start(MakeRequest({"sleep", "30"}, dir), first.Callback()));
  ASSERT_TRUE(supervisor->Start(MakeRequest({"sleep", "30"}, dir), second.Callback()));
  supervisor->Shutdown();
  EXPECT_TRUE(first.Wait().cancelled);
  EXPECT_EQ(second.Wait().signal, SIGKILL);
  EXPECT_EQ(supervisor->ActiveCount(), 0u);
  EXPECT_FALSE(supervisor->Start(MakeRequest({"true"}, dir), nullptr).has_value());
}

TEST(ProcessSupervisorTest, OnExitMayStartTheNextProcess) {
  TempDir dir;
  auto supervisor = MakeSupervisor();
  ExitWaiter second;
  auto request = MakeRequest({"true"}, dir);
  auto first = supervisor->Start(request, [&](const ExitStatus&) {
    EXPECT_TRUE(supervisor->Start(request, second.Callback()).has_value());
  });
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(second.Wait().Succeeded());
}

// Many short jobs at once, in each cgroup mode: all reported, nothing left behind.
void RunManyShortJobs(ProcessSupervisor& supervisor) {
  TempDir dir;
  constexpr int kJobs = 200;
  std::mutex mu;
  std::condition_variable done;
  int finished = 0, succeeded = 0;
  auto request = MakeRequest({"true"}, dir);
  request.stdout_path = request.stderr_path = "";
  for (int i = 0; i < kJobs; ++i) {
    auto handle = supervisor.Start(request, [&](const ExitStatus& status) {
      std::lock_guard lock(mu);
      ++finished;
      succeeded += status.Succeeded() ? 1 : 0;
      done.notify_all();
    });
    ASSERT_TRUE(handle.has_value()) << handle.error().ToString();
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(done.wait_for(lock, std::chrono::seconds(60), [&] { return finished == kJobs; }));
  EXPECT_EQ(succeeded, kJobs);
  EXPECT_EQ(supervisor.ActiveCount(), 0u);
  EXPECT_TRUE(ZombieChildrenOf(getpid()).empty());
}

TEST(ProcessSupervisorTest, RunsManyShortJobsWithDetectedMode) {
  auto supervisor = MakeSupervisor({.subreaper = true});
  RunManyShortJobs(*supervisor);
}

TEST(ProcessSupervisorTest, RunsManyShortJobsWithoutCgroups) {
  auto supervisor = MakeSupervisor({.cgroup_mode = CgroupMode::kNone});
  RunManyShortJobs(*supervisor);
}

}  // namespace
}  // namespace gantry::exec
