#include "launch/rank_spawner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace gantry::launch {
namespace {

TEST(RankSpawnerTest, ResolvesProgramsThroughPath) {
  auto sh = ResolveProgram("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_EQ(sh->front(), '/');
  EXPECT_EQ(ResolveProgram("no-such-program-gantry").error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(ResolveProgram("/etc/passwd").has_value());  // not executable
}

TEST(RankSpawnerTest, ChildGetsItsStdioInheritedFdsAndItsOwnSession) {
  int out[2], extra[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(extra, O_CLOEXEC), 0);
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  RankSpawnSpec spec;
  spec.program = *ResolveProgram("sh");
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
  EXPECT_EQ(ExitCodeOf(status), 0);
  EXPECT_EQ(text, "inherited\nleader\nhello\n");
  for (int fd : {out[0], extra[0], extra[1], devnull}) close(fd);
}

TEST(RankSpawnerTest, DescribesExitsAndSignals) {
  EXPECT_EQ(DescribeWaitStatus(3 << 8), "exited with status 3");
  EXPECT_EQ(ExitCodeOf(3 << 8), 3);
  EXPECT_EQ(DescribeWaitStatus(SIGKILL), "was killed by signal 9 (Killed)");
  EXPECT_EQ(ExitCodeOf(SIGKILL), 137);
}

}  // namespace
}  // namespace gantry::launch
