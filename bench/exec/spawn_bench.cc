// Spawn throughput of gantry::exec: how many short jobs per second ProcessSupervisor runs end
// to end (Start to on_exit), with at most --parallel running at once. Compare with
// `seq N | xargs -P2 -n1 true` on the same machine.
//   exec_bench [jobs=2000] [parallel=2] [mode=detect|none] [program=/bin/true]
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "exec/process_supervisor.h"

using namespace gantry::exec;

int main(int argc, char** argv) {
  int jobs = argc > 1 ? atoi(argv[1]) : 2000;
  int parallel = argc > 2 ? atoi(argv[2]) : 2;
  std::string mode = argc > 3 ? argv[3] : "detect";
  std::string program = argc > 4 ? argv[4] : "/bin/true";
  ProcessSupervisor::Options options;
  if (mode == "none") options.cgroup_mode = CgroupMode::kNone;
  auto supervisor = ProcessSupervisor::Create(options);
  if (!supervisor) {
    fprintf(stderr, "%s\n", supervisor.error().ToString().c_str());
    return 1;
  }
  SpawnRequest request;
  request.argv = {program};
  request.working_dir = "/tmp";
  std::mutex mu;
  std::condition_variable cv;
  int running = 0, failed = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < jobs; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return running < parallel; });
      ++running;
    }
    auto handle = (*supervisor)->Start(request, [&](const ExitStatus& status) {
      std::lock_guard lock(mu);
      --running;
      failed += status.Succeeded() ? 0 : 1;
      cv.notify_all();
    });
    if (!handle) {
      fprintf(stderr, "%s\n", handle.error().ToString().c_str());
      return 1;
    }
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return running == 0; });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  printf("%d jobs (%s, cgroup mode %s, %d at a time): %.2f s, %.0f jobs/s, %d failed\n", jobs,
         program.c_str(), std::string(CgroupModeName((*supervisor)->cgroup_mode())).c_str(),
         parallel, seconds, jobs / seconds, failed);
  return failed == 0 ? 0 : 1;
}
