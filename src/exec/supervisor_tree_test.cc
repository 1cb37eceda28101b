// Whole process trees: cancel reaches children and grandchildren (also those that called
// setsid), and nothing is left alive or a zombie.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strings.h"
#include "exec/process_supervisor.h"
#include "exec/process_tree.h"
#include "exec/test_util.h"

namespace gantry::exec {
namespace {

using testing::ExitWaiter;
using testing::MakeRequest;
using testing::MakeSupervisor;
using testing::Slurp;
using testing::TempDir;

// Starts children, grandchildren and orphans, writes their pids to $1.list, then says "ready"
// into the fifo $1 and waits. With setsid=1 some of them leave the process group.
constexpr const char* kTreeScript = R"(
list="$1.list"
sleep 1000 >/dev/null 2>&1 &
echo $! >> "$list"
$SETSID sleep 1000 >/dev/null 2>&1 &
echo $! >> "$list"
( sleep 1000 >/dev/null 2>&1 & echo $! >> "$list" )
mkfifo "$1.sync"
sh -c 'sleep 1000 >/dev/null 2>&1 & echo $! >> "$1"; $2 sleep 1000 >/dev/null 2>&1 &
       echo $! >> "$1"; echo $$ >> "$1"; echo ok > "$3"; exec sleep 1000' \
   sh "$list" "$SETSID" "$1.sync" &
read ok < "$1.sync"
echo ready > "$1"
wait
)";

// Starts the tree script and returns the pids it reports, once all are running.
std::vector<pid_t> StartTree(ProcessSupervisor& supervisor, const TempDir& dir, bool use_setsid,
                             ExitWaiter& waiter, ProcessHandle& handle) {
  std::string fifo = dir.File("fifo");
  EXPECT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto request = MakeRequest({"sh", "-c", kTreeScript, "sh", fifo}, dir);
  request.env.push_back(std::string("SETSID=") + (use_setsid ? "setsid" : ""));
  auto started = supervisor.Start(request, waiter.Callback());
  EXPECT_TRUE(started.has_value()) << started.error().ToString();
  if (!started) return {};
  handle = *started;
  std::string ready = Slurp(fifo);  // blocks until the script has written and closed it
  EXPECT_EQ(ready, "ready\n") << Slurp(dir.File("err.txt"));
  std::vector<pid_t> pids;
  for (const std::string& line : Split(Trim(Slurp(fifo + ".list")), '\n')) {
    if (auto pid = ParseInt(line)) pids.push_back(static_cast<pid_t>(*pid));
  }
  EXPECT_EQ(pids.size(), 6u);
  for (pid_t pid : pids) EXPECT_TRUE(ProcessIsAlive(pid)) << pid;
  return pids;
}

TEST(ProcessTreeTest, CancelKillsChildrenAndGrandchildrenEvenAfterSetsid) {
  CgroupMode mode = CgroupManager::Detect();
  if (mode == CgroupMode::kNone) GTEST_SKIP() << "setsid escapes need a cgroup to be found";
  TempDir dir;
  auto supervisor = MakeSupervisor({.cgroup_mode = mode, .subreaper = true});
  ExitWaiter waiter;
  ProcessHandle handle = 0;
  std::vector<pid_t> pids = StartTree(*supervisor, dir, /*use_setsid=*/true, waiter, handle);
  ASSERT_TRUE(supervisor->Kill(handle, KillMode::kCancel).has_value());
  ExitStatus status = waiter.Wait();
  EXPECT_TRUE(status.cancelled);
  for (pid_t pid : pids) EXPECT_FALSE(ProcessIsAlive(pid)) << "pid " << pid << " survived";
  EXPECT_TRUE(ZombieChildrenOf(getpid()).empty());
}

TEST(ProcessTreeTest, CancelWithoutCgroupKillsTheWholeProcessGroup) {
  TempDir dir;
  auto supervisor = MakeSupervisor({.cgroup_mode = CgroupMode::kNone, .subreaper = true});
  ExitWaiter waiter;
  ProcessHandle handle = 0;
  std::vector<pid_t> pids = StartTree(*supervisor, dir, /*use_setsid=*/false, waiter, handle);
  ASSERT_TRUE(supervisor->Kill(handle, KillMode::kKillNow).has_value());
  ExitStatus status = waiter.Wait();
  EXPECT_EQ(status.signal, SIGKILL);
  for (pid_t pid : pids) EXPECT_FALSE(ProcessIsAlive(pid)) << "pid " << pid << " survived";
  EXPECT_TRUE(ZombieChildrenOf(getpid()).empty());
}

TEST(ProcessTreeTest, DaemonLeftBehindIsKilledWhenTheMainProcessExits) {
  CgroupMode mode = CgroupManager::Detect();
  if (mode == CgroupMode::kNone) GTEST_SKIP() << "a setsid daemon needs a cgroup to be found";
  TempDir dir;
  auto supervisor = MakeSupervisor({.cgroup_mode = mode, .subreaper = true});
  auto request = MakeRequest(
      {"sh", "-c", "setsid sleep 1000 >/dev/null 2>&1 & echo $!; (sleep 0.01 &); exit 0"}, dir);
  ExitStatus status = testing::RunToEnd(*supervisor, request);
  EXPECT_TRUE(status.Succeeded()) << DescribeExitStatus(status);
  auto daemon = ParseInt(Trim(Slurp(dir.File("out.txt"))));
  ASSERT_TRUE(daemon.has_value());
  EXPECT_FALSE(ProcessIsAlive(static_cast<pid_t>(*daemon)));
  EXPECT_TRUE(ZombieChildrenOf(getpid()).empty()) << "orphans re-parented to us were reaped";
}

}  // namespace
}  // namespace gantry::exec
