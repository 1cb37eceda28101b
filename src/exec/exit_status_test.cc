#include "exec/exit_status.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace gantry::exec {
namespace {

TEST(DescribeExitStatusTest, NamesTheExitCode) {
  ExitStatus status;
  status.exit_code = 3;
  EXPECT_EQ(DescribeExitStatus(status), "exited with status 3");
  EXPECT_FALSE(status.Succeeded());
}

TEST(DescribeExitStatusTest, NamesTheSignalByNumberAndName) {
  ExitStatus status;
  status.exit_code = -1;
  status.signal = SIGKILL;
  EXPECT_EQ(DescribeExitStatus(status), "killed by signal 9 (SIGKILL)");
  status.signal = SIGSEGV;
  status.core_dumped = true;
  EXPECT_EQ(DescribeExitStatus(status), "killed by signal 11 (SIGSEGV), core dumped");
}

TEST(DescribeExitStatusTest, BlamesTheWallTimeLimitBeforeTheSignal) {
  ExitStatus status;
  status.signal = SIGTERM;
  status.timed_out = true;
  status.time_limit_seconds = 60;
  EXPECT_EQ(DescribeExitStatus(status), "wall-time limit of 0:01:00 exceeded");
}

TEST(DescribeExitStatusTest, BlamesTheMemoryLimitInMegabytes) {
  ExitStatus status;
  status.signal = SIGKILL;
  status.oom_killed = true;
  status.memory_limit_bytes = 100 * 1024 * 1024;
  EXPECT_EQ(DescribeExitStatus(status), "memory limit of 100 MB exceeded");
  status.memory_limit_bytes = 1536 * 1024;
  EXPECT_EQ(DescribeExitStatus(status), "memory limit of 1.5 MB exceeded");
}

TEST(DescribeExitStatusTest, SaysCancelledAndHow) {
  ExitStatus status;
  status.signal = SIGTERM;
  status.cancelled = true;
  EXPECT_EQ(DescribeExitStatus(status), "cancelled (killed by signal 15 (SIGTERM))");
}

TEST(DescribeExitStatusTest, OnlyACleanZeroExitSucceeds) {
  ExitStatus status;
  EXPECT_TRUE(status.Succeeded());
  EXPECT_EQ(DescribeExitStatus(status), "exited with status 0");
  status.timed_out = true;
  EXPECT_FALSE(status.Succeeded());
}

TEST(SignalNameTest, FallsBackToTheNumber) {
  EXPECT_EQ(SignalName(SIGINT), "SIGINT");
  EXPECT_EQ(SignalName(1000), "signal 1000");
}

// gantry run's ranks and the agent's attempts: one reading of a wait status, one wording.
TEST(FromWaitStatusTest, ReadsExitsAndSignalsAsTheShellCountsThem) {
  ExitStatus exited = FromWaitStatus(3 << 8);
  EXPECT_EQ(exited.exit_code, 3);
  EXPECT_EQ(exited.signal, 0);
  EXPECT_EQ(ShellExitCode(exited), 3);
  EXPECT_EQ(DescribeExitStatus(exited), "exited with status 3");
  ExitStatus killed = FromWaitStatus(SIGKILL);
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_EQ(killed.exit_code, -1);
  EXPECT_EQ(ShellExitCode(killed), 137);
  EXPECT_EQ(DescribeExitStatus(killed), "killed by signal 9 (SIGKILL)");
  EXPECT_TRUE(FromWaitStatus(SIGSEGV | 0x80).core_dumped);
}

}  // namespace
}  // namespace gantry::exec
