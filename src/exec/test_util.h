// Helpers shared by the exec tests: temp dirs, the helper program, waiting for on_exit.
#pragma once

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "base/temp_dir.h"
#include "exec/process_supervisor.h"

namespace gantry::exec::testing {

using gantry::TempDir;

// The exec_test_helper binary built beside the tests.
std::string HelperPath();
// A request running argv in dir, with PATH=/usr/bin:/bin and output in dir/out.txt, err.txt.
SpawnRequest MakeRequest(std::vector<std::string> argv, const TempDir& dir);
// Contents of a file, "" if unreadable.
std::string Slurp(const std::string& path);
void WriteText(const std::string& path, const std::string& text, int mode = 0644);

// Collects one ExitStatus from an on_exit callback.
class ExitWaiter {
 public:
  ProcessSupervisor::ExitCallback Callback();
  // Waits up to 60 s; fails the test (and returns a default status) on timeout.
  ExitStatus Wait();

 private:
  std::shared_ptr<std::promise<ExitStatus>> promise_ = std::make_shared<std::promise<ExitStatus>>();
  std::future<ExitStatus> future_ = promise_->get_future();
};

// Start + Wait; fails the test if Start fails.
ExitStatus RunToEnd(ProcessSupervisor& supervisor, const SpawnRequest& request);

std::unique_ptr<ProcessSupervisor> MakeSupervisor(ProcessSupervisor::Options options = {});

}  // namespace gantry::exec::testing
