#include "launch/rank_spawner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "exec/program_path.h"

namespace gantry::launch {
namespace {

TEST(RankSpawnerTest, AFailedExecIsAnErrorNotAChild) {
  auto pid = SpawnRank(SpecWithOurStdio({"/no/such/program"}));
  ASSERT_FALSE(pid.has_value());
  EXPECT_EQ(pid.error().code(), ErrorCode::kNotFound);
}

// A launcher killed with SIGKILL (a batch system after its grace period, the OOM killer)
// used to leave its ranks running.
TEST(RankSpawnerTest, ARankDiesWithItsLauncher) {
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  pid_t launcher = fork();
  if (launcher == 0) {
    auto pid = SpawnRank(SpecWithOurStdio({"/bin/sleep", "60"}));
    pid_t value = pid ? *pid : -1;
    (void)!write(report[1], &value, sizeof(value));
    pause();
    _exit(0);
  }
  close(report[1]);
  pid_t rank = -1;
  ASSERT_EQ(read(report[0], &rank, sizeof(rank)), static_cast<ssize_t>(sizeof(rank)));
  close(report[0]);
  ASSERT_GT(rank, 0);
  EXPECT_EQ(kill(rank, 0), 0);
  kill(launcher, SIGKILL);
  int status = 0;
  waitpid(launcher, &status, 0);
  // The rank is reparented and reaped by init once the signal lands.
  bool gone = false;
  for (int i = 0; i < 2000 && !gone; ++i) {
    gone = kill(rank, 0) != 0 && errno == ESRCH;
    if (!gone) usleep(5000);
  }
  EXPECT_TRUE(gone);
  if (!gone) kill(rank, SIGKILL);
}

TEST(RankSpawnerTest, ChildGetsItsStdioInheritedFdsAndItsOwnSession) {
  int out[2], extra[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(extra, O_CLOEXEC), 0);
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  RankSpawnSpec spec;
  spec.program = *exec::ResolveProgram("sh", exec::kDefaultSearchPath);
  // Prints whether the inherited fd is open, and whether the child leads its session.
  spec.argv = {"sh", "-c",
               "[ -e /proc/self/fd/" + std::to_string(extra[1]) +
                   " ] && echo inherited; [ $(cut -d' ' -f6 /proc/$$/stat) = $$ ] && echo leader; "
                   "echo $GREETING"};
  spec.env = {"GREETING=hello", "PATH=/usr/bin:/bin"};
  spec.stdin_fd = devnull;
  spec.stdout_fd = out[1];
  spec.stderr_fd = out[1];
  spec.inherit_fds = {extra[1]};
  auto pid = SpawnRank(spec);
  ASSERT_TRUE(pid.has_value()) << pid.error().ToString();
  close(out[1]);
  std::string text;
  char buffer[256];
  ssize_t n;
  while ((n = read(out[0], buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  int status = 0;
  ASSERT_EQ(waitpid(*pid, &status, 0), *pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(text, "inherited\nleader\nhello\n");
  for (int fd : {out[0], extra[0], extra[1], devnull}) close(fd);
}

}  // namespace
}  // namespace gantry::launch
