#include "agent/leftovers.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "base/temp_dir.h"

namespace gantry::agent {
namespace {

// Starts `sleep 100` with GANTRY_ATTEMPT_DIR=dir; the caller reaps it.
pid_t SleepWithAttemptDir(const std::string& dir) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string var = "GANTRY_ATTEMPT_DIR=" + dir;
    char* argv[] = {const_cast<char*>("sleep"), const_cast<char*>("100"), nullptr};
    char* envp[] = {var.data(), nullptr};
    execve("/bin/sleep", argv, envp);
    _exit(127);
  }
  return pid;
}

// True once the process has exec'd (its environment is readable and names dir).
bool WaitUntilVisible(pid_t pid, const std::string& attempts_dir) {
  for (int i = 0; i < 500; ++i) {
    for (pid_t p : FindLeftoverAttemptProcesses(attempts_dir)) {
      if (p == pid) return true;
    }
    usleep(10'000);
  }
  return false;
}

class LeftoversTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mkdir((dir_ + "/attempts").c_str(), 0755);
    mkdir((dir_ + "/attempts/7").c_str(), 0755);
  }
  TempDir temp_{"gantry_leftovers_test"};
  const std::string dir_ = temp_.path();
};

TEST_F(LeftoversTest, KillsProcessesOfOldAttemptsAndSparesOthers) {
  pid_t old_attempt = SleepWithAttemptDir(dir_ + "/attempts/7");
  pid_t other_agent = SleepWithAttemptDir(dir_ + "/elsewhere/attempts/7");
  ASSERT_TRUE(WaitUntilVisible(old_attempt, dir_ + "/attempts"));

  EXPECT_EQ(KillLeftoverAttempts(dir_ + "/attempts"), 1);

  int status = 0;
  ASSERT_EQ(waitpid(old_attempt, &status, 0), old_attempt);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(waitpid(other_agent, &status, WNOHANG), 0) << "a process of another agent was killed";
  kill(other_agent, SIGKILL);
  waitpid(other_agent, &status, 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/attempts/7"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/attempts"));
}

TEST_F(LeftoversTest, FindsNothingWhenNothingIsLeft) {
  EXPECT_TRUE(FindLeftoverAttemptProcesses(dir_ + "/attempts").empty());
  EXPECT_EQ(KillLeftoverAttempts(dir_ + "/attempts"), 0);
}

}  // namespace
}  // namespace gantry::agent
