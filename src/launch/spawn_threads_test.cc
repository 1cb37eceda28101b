#include "launch/spawn_threads.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <mutex>
#include <vector>

#include "launch/rank_spawner.h"

namespace gantry::launch {
namespace {

TEST(SpawnThreadsTest, RunsTheWorkOnEveryThreadUntilWaitReturns) {
  SpawnThreads threads(3);
  std::atomic<int> runs{0};
  std::function<void()> work = [&] { runs.fetch_add(1); };
  for (int round = 1; round <= 2; ++round) {
    threads.Begin(work);
    threads.Wait();
    EXPECT_EQ(runs.load(), 3 * round);
  }
}

// A rank's parent-death signal fires when the thread that forked it exits: ranks spawned by
// helper threads must survive the end of the start-up.
TEST(SpawnThreadsTest, RanksSpawnedOnHelperThreadsOutliveTheStartUp) {
  SpawnThreads threads(2);
  std::mutex mu;
  std::vector<pid_t> pids;
  std::function<void()> work = [&] {
    auto pid = SpawnRank(SpecWithOurStdio({"/bin/sleep", "0.3"}));
    std::lock_guard lock(mu);
    if (pid) pids.push_back(*pid);
  };
  threads.Begin(work);
  threads.Wait();
  ASSERT_EQ(pids.size(), 2u);
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
}

}  // namespace
}  // namespace gantry::launch
