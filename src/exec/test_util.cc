#include "exec/test_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "base/file.h"

namespace gantry::exec::testing {

std::string HelperPath() { return GANTRY_EXEC_TEST_HELPER; }

SpawnRequest MakeRequest(std::vector<std::string> argv, const TempDir& dir) {
  SpawnRequest request;
  request.argv = std::move(argv);
  request.env = {"PATH=/usr/bin:/bin", "HOME=" + dir.path()};
  request.working_dir = dir.path();
  request.stdout_path = dir.File("out.txt");
  request.stderr_path = dir.File("err.txt");
  request.kill_grace_seconds = 1;
  return request;
}

std::string Slurp(const std::string& path) { return ReadFile(path).value_or(""); }

void WriteText(const std::string& path, const std::string& text, int mode) {
  ASSERT_TRUE(WriteFileAtomic(path, text, mode).has_value());
  chmod(path.c_str(), static_cast<mode_t>(mode));
}

ProcessSupervisor::ExitCallback ExitWaiter::Callback() {
  return [promise = promise_](const ExitStatus& status) { promise->set_value(status); };
}

ExitStatus ExitWaiter::Wait() {
  if (future_.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "on_exit was not called within 60 s";
    return {};
  }
  return future_.get();
}

ExitStatus RunToEnd(ProcessSupervisor& supervisor, const SpawnRequest& request) {
  ExitWaiter waiter;
  auto handle = supervisor.Start(request, waiter.Callback());
  if (!handle) {
    ADD_FAILURE() << "Start failed: " << handle.error().ToString();
    return {};
  }
  return waiter.Wait();
}

std::unique_ptr<ProcessSupervisor> MakeSupervisor(ProcessSupervisor::Options options) {
  auto supervisor = ProcessSupervisor::Create(options);
  EXPECT_TRUE(supervisor.has_value()) << supervisor.error().ToString();
  return supervisor ? std::move(*supervisor) : nullptr;
}

}  // namespace gantry::exec::testing
