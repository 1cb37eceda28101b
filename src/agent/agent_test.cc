// The agent loop against a scripted server: real processes, a fake link.
#include "agent/agent.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::agent {
namespace {

using Type = wire::AttemptReport::Type;

// Hands out the assignments it is given on the next poll and keeps every report.
class FakeServer {
 public:
  // New work ends a waiting long-poll, as a real server's assignment does.
  void Give(std::vector<wire::Assignment> work) {
    std::lock_guard lock(mu_);
    for (auto& a : work) pending_.push_back(std::move(a));
    woken_ = true;
    cv_.notify_all();
  }
  Result<wire::PollResponse> Poll(const wire::PollRequest& request) {
    std::unique_lock lock(mu_);
    reports_.insert(reports_.end(), request.reports.begin(), request.reports.end());
    cv_.notify_all();
    wire::PollResponse response;
    if (!pending_.empty()) {
      response.assignments = std::move(pending_);
      pending_.clear();
      return response;
    }
    auto wait = std::chrono::milliseconds(std::min<int64_t>(request.max_wait_ms, max_wait_ms_));
    cv_.wait_for(lock, wait, [&] { return woken_; });
    woken_ = false;
    response.assignments = std::move(pending_);
    pending_.clear();
    return response;
  }
  // Polls wait at most this long (the agent's long-poll asks for 20 s).
  void SetMaxWaitMs(int64_t ms) {
    std::lock_guard lock(mu_);
    max_wait_ms_ = ms;
  }
  void Wake() {
    std::lock_guard lock(mu_);
    woken_ = true;
    cv_.notify_all();
  }
  // The reports of type `type`, once there are `count` of them (or what came in 20 s).
  std::vector<wire::AttemptReport> WaitFor(Type type, size_t count) {
    std::unique_lock lock(mu_);
    auto of_type = [&] {
      std::vector<wire::AttemptReport> out;
      for (const auto& r : reports_) {
        if (r.type == type) out.push_back(r);
      }
      return out;
    };
    cv_.wait_for(lock, std::chrono::seconds(20), [&] { return of_type().size() >= count; });
    return of_type();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<wire::Assignment> pending_;
  std::vector<wire::AttemptReport> reports_;
  bool woken_ = false;
  int64_t max_wait_ms_ = 200;
};

class FakeLink final : public ServerLink {
 public:
  explicit FakeLink(FakeServer* server) : server_(server) {}
  Result<wire::PollResponse> Poll(const std::string&, const wire::PollRequest& r) override {
    return server_->Poll(r);
  }
  Status Wake(const std::string&) override {
    server_->Wake();
    return {};
  }
  Status Leave(const std::string&, int64_t) override { return {}; }

 private:
  FakeServer* server_;
};

class AgentLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AgentOptions options;
    options.work_dir = work_.path();
    options.resources.cores = 2;
    options.resources.memory_mb = 1024;
    options.subreaper = false;
    auto agent = Agent::Create(options, std::make_unique<FakeLink>(&server_),
                               std::make_unique<FakeLink>(&server_));
    ASSERT_TRUE(agent.has_value()) << agent.error().ToString();
    agent_ = std::move(*agent);
    loop_ = std::thread([this] { (void)agent_->Run(); });
  }
  void TearDown() override {
    if (agent_) agent_->Stop();
    server_.Wake();  // end a long-poll in progress (the fake has no connection to close)
    if (loop_.joinable()) loop_.join();
  }
  // Task `id` of an array, running `script` on `cpus` cores.
  wire::Assignment Task(int64_t id, int64_t cpus, const std::string& script) {
    auto job = std::make_shared<model::Job>();
    job->id = id;
    job->owner = {static_cast<uint32_t>(geteuid()), static_cast<uint32_t>(getegid()), "tester"};
    job->spec.script = script;
    job->spec.submit_dir = job->spec.working_dir = jobs_.path();
    job->spec.cpus_per_task = cpus;
    wire::Assignment a;
    a.job = job;
    a.task.id = id;
    a.task.job_id = id;
    a.attempt.id = 100 + id;
    a.attempt.task_id = id;
    a.attempt.number = 1;
    return a;
  }
  static int64_t TimeOf(const std::vector<wire::AttemptReport>& reports, int64_t attempt_id) {
    for (const auto& r : reports) {
      if (r.attempt_id == attempt_id) return r.time;
    }
    ADD_FAILURE() << "no report for attempt " << attempt_id;
    return 0;
  }
  // When the attempt started: its start report's time, or (if it ended first and sent no
  // start report) the start time its end report carries.
  int64_t StartOf(int64_t attempt_id) {
    for (const auto& r : server_.WaitFor(Type::kStarted, 0)) {
      if (r.attempt_id == attempt_id) return r.time;
    }
    for (const auto& r : server_.WaitFor(Type::kFinished, 0)) {
      if (r.attempt_id == attempt_id) return r.start_time;
    }
    ADD_FAILURE() << "no start for attempt " << attempt_id;
    return 0;
  }

  TempDir work_{"agent_test"};
  TempDir jobs_{"agent_test_jobs"};
  FakeServer server_;
  std::unique_ptr<Agent> agent_;
  std::thread loop_;
};

// Queued work takes cores in queue order: a task that needs the whole node is not overtaken
// by a later one-core task, although that one would fit beside the task still running.
TEST_F(AgentLoopTest, QueuedTasksTakeCoresInQueueOrder) {
  server_.Give({Task(1, 1, "#!/bin/sh\nsleep 0.5\n"), Task(2, 2, "#!/bin/sh\ntrue\n"),
                Task(3, 1, "#!/bin/sh\ntrue\n")});
  std::vector<wire::AttemptReport> finished = server_.WaitFor(Type::kFinished, 3);
  ASSERT_EQ(finished.size(), 3u);
  for (const auto& r : finished) EXPECT_EQ(r.exit_code, 0) << r.reason;
  EXPECT_GE(StartOf(102), TimeOf(finished, 101)) << "the 2-core task waits for both cores";
  EXPECT_GE(StartOf(103), TimeOf(finished, 101)) << "the 1-core task waits its turn";
}

// Attempts of one job share its script; their scratch dirs are reused; nothing is left.
TEST_F(AgentLoopTest, ManyShortTasksRunAndLeaveNothingBehind) {
  std::vector<wire::Assignment> work;
  for (int64_t id = 1; id <= 40; ++id) {
    wire::Assignment a = Task(id, 1, "#!/bin/sh\ntest -d \"$TMPDIR\" && test -w \"$TMPDIR\" && touch \"$TMPDIR/f$$\"\n");
    work.push_back(std::move(a));
  }
  server_.Give(std::move(work));
  std::vector<wire::AttemptReport> finished = server_.WaitFor(Type::kFinished, 40);
  ASSERT_EQ(finished.size(), 40u);
  for (const auto& r : finished) EXPECT_EQ(r.exit_code, 0) << r.reason;
  agent_->Stop();
  loop_.join();
  agent_.reset();
  EXPECT_TRUE(std::filesystem::is_empty(work_.path() + "/attempts"));
  EXPECT_TRUE(std::filesystem::is_empty(work_.path() + "/scripts"));
}

// Regression: a start reached the server only with the next poll, which a long-poll held
// back until the job ended, so a running job stayed SCHEDULED and a crash found it unstarted.
TEST_F(AgentLoopTest, AStartIsReportedWhileTheAttemptRuns) {
  server_.SetMaxWaitMs(60'000);  // as a real server: nothing ends the long-poll but a wake
  std::string go = jobs_.path() + "/go";
  server_.Give({Task(1, 1, "#!/bin/sh\nwhile [ ! -e " + go + " ]; do sleep 0.01; done\n")});
  std::vector<wire::AttemptReport> started = server_.WaitFor(Type::kStarted, 1);
  ASSERT_EQ(started.size(), 1u) << "no start report while the attempt runs";
  EXPECT_EQ(started[0].attempt_id, 101);
  EXPECT_TRUE(server_.WaitFor(Type::kFinished, 0).empty()) << "it cannot have ended yet";
  ASSERT_TRUE(WriteFileAtomic(go, "").has_value());
  std::vector<wire::AttemptReport> finished = server_.WaitFor(Type::kFinished, 1);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].start_time, started[0].time) << "the end carries the same start";
}

// Regression: when an end reached the server before its start, the server took the end's
// time as the start (a finished job then showed no run time, and `q` counted up from it).
TEST_F(AgentLoopTest, EveryEndReportCarriesItsStartTime) {
  std::vector<wire::Assignment> work;
  for (int64_t id = 1; id <= 10; ++id) work.push_back(Task(id, 1, "#!/bin/sh\nsleep 0.01\n"));
  server_.Give(std::move(work));
  std::vector<wire::AttemptReport> finished = server_.WaitFor(Type::kFinished, 10);
  ASSERT_EQ(finished.size(), 10u);
  for (const auto& r : finished) {
    EXPECT_GT(r.start_time, 0) << "attempt " << r.attempt_id;
    EXPECT_LT(r.start_time, r.time) << "attempt " << r.attempt_id << " ran for 10 ms";
  }
}

}  // namespace
}  // namespace gantry::agent
