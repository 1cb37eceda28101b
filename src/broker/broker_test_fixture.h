// The broker test fixture: a real SQLite store in a temp dir (with a switch that makes
// commits fail) and a FakeClock, plus helpers that play one agent.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "broker/broker.h"
#include "store/store.h"

namespace gantry::broker {

using model::TaskRef;
using model::TaskState;

// Wraps the real store; a commit fails while fail_ is set, and waits (a slow disk) while
// blocked (a fake beside the test). Commits run on the broker's committer thread.
class FlakyStore final : public store::Store {
 public:
  explicit FlakyStore(std::unique_ptr<store::Store> inner) : inner_(std::move(inner)) {}
  std::atomic<bool> fail_ = false;
  Status Commit(const store::Batch& b) override { return CommitAll({&b}); }
  Status CommitAll(const std::vector<const store::Batch*>& batches) override {
    {
      std::unique_lock lock(mu_);
      ++writing_;
      ++commits_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return !blocked_; });
      --writing_;
    }
    if (fail_) return Fail(ResourceExhausted("disk full"));
    return inner_->CommitAll(batches);
  }
  void Block() {
    std::lock_guard lock(mu_);
    blocked_ = true;
  }
  void Unblock() {
    std::lock_guard lock(mu_);
    blocked_ = false;
    cv_.notify_all();
  }
  // Until a commit is on the (blocked) disk.
  void AwaitWriting() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return writing_ > 0; });
  }
  int64_t Commits() {
    std::lock_guard lock(mu_);
    return commits_;
  }
  Result<store::ActiveState> LoadActive() override { return inner_->LoadActive(); }
  Result<std::optional<model::Job>> GetJob(int64_t id) override { return inner_->GetJob(id); }
  Result<std::optional<model::Task>> GetTask(int64_t id) override { return inner_->GetTask(id); }
  Result<std::vector<model::Task>> GetTasksOfJob(int64_t id) override {
    return inner_->GetTasksOfJob(id);
  }
  Result<std::vector<model::Task>> ListTasks(const store::TaskFilter& f) override {
    return inner_->ListTasks(f);
  }
  Result<std::vector<model::Task>> ListHistory(const store::HistoryQuery& q) override {
    return inner_->ListHistory(q);
  }
  Result<std::vector<model::Event>> GetEvents(int64_t id) override { return inner_->GetEvents(id); }
  Result<std::vector<model::Attempt>> GetAttempts(int64_t id) override {
    return inner_->GetAttempts(id);
  }
  Result<std::optional<model::ArrayTail>> GetTailCovering(int64_t id) override {
    return inner_->GetTailCovering(id);
  }
  Result<std::vector<model::ArrayTail>> ListTails(const store::TaskFilter& f) override {
    return inner_->ListTails(f);
  }

 private:
  std::unique_ptr<store::Store> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool blocked_ = false;
  int writing_ = 0;
  int64_t commits_ = 0;
};

class BrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gantry_broker_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    Open();
  }
  void Open() {
    broker_.reset();
    store_ = std::make_unique<FlakyStore>(store::OpenSqliteStore(dir_ + "/db").value());
    broker_ = Broker::Create(*store_, clock_, options_).value();
  }
  model::JobSpec Spec(std::string name = "job") {
    model::JobSpec s;
    s.name = name;
    s.script = "#!/bin/sh\ntrue\n";
    s.submit_dir = s.working_dir = "/tmp";
    return s;
  }
  int64_t Submit(model::JobSpec s, const model::Identity* who = nullptr) {
    auto r = broker_->Submit(who ? *who : alice_, std::move(s));
    EXPECT_TRUE(r) << r.error().message();
    return r ? r->job_id : 0;
  }
  // A poll from an agent with 4 CPUs and 8000 MB, cpus of them free, waiting up to
  // max_wait_ms for work.
  PollRequest Request(int64_t cpus = 4, int64_t max_wait_ms = 0, std::string agent = "a1",
                      std::string ad = "[Arch = \"X86_64\"; Site = \"here\"]") {
    PollRequest req;
    req.agent_id = agent;
    req.status = {agent, "host", 4, 8000, cpus, 8000, ad};
    req.max_wait_ms = max_wait_ms;
    return req;
  }
  PollResponse Poll(std::vector<AttemptReport> reports = {}, int64_t cpus = 4,
                    std::string agent = "a1", std::string ad = "[Arch = \"X86_64\"; Site = \"here\"]") {
    PollRequest req = Request(cpus, 0, agent, ad);
    req.reports = std::move(reports);
    req.running_attempts = running_;
    auto r = Send(req);
    EXPECT_TRUE(r) << r.error().message();
    for (const auto& a : r->assignments) running_.push_back(a.attempt.id);
    return *r;
  }
  // Polls as the agent the request names, with the instance the server gave it.
  Result<PollResponse> Send(PollRequest req) {
    {
      std::lock_guard lock(instances_mu_);
      req.instance = instances_[req.agent_id];
    }
    auto r = broker_->Poll(req);
    std::lock_guard lock(instances_mu_);
    if (r && r->instance != 0) instances_[req.agent_id] = r->instance;
    return r;
  }
  AttemptReport Report(int64_t attempt, AttemptReport::Type type, int exit_code = 0) {
    if (type != AttemptReport::Type::kStarted) std::erase(running_, attempt);
    AttemptReport r;
    r.type = type;
    r.attempt_id = attempt;
    r.exit_code = exit_code;
    return r;
  }
  // Runs f on a thread while the fake clock moves a second at a time, until f returns: for
  // calls that wait out a deadline (a hold waiting for a silent agent).
  template <typename F>
  auto WhileTimePasses(F f) {
    std::atomic<bool> done = false;
    decltype(f()) result{};
    std::thread worker([&] {
      result = f();
      done = true;
    });
    while (!done) {
      clock_.Advance(kMicrosPerSecond);
      std::this_thread::yield();
    }
    worker.join();
    return result;
  }
  TaskState State(std::string ref) {
    return broker_->Describe(alice_, model::ParseTaskRef(ref).value()).value()[0].summary.task.state;
  }

  std::string dir_;
  BrokerOptions options_;  // for Open()
  FakeClock clock_;
  std::unique_ptr<FlakyStore> store_;
  std::unique_ptr<Broker> broker_;
  std::vector<int64_t> running_;
  std::mutex instances_mu_;
  std::map<std::string, int64_t> instances_;
  // A local caller as api/auth makes one: VO and groups from the VO file, admin from policy.
  static model::Identity Local(uint32_t uid, std::string name,
                               std::vector<std::string> groups = {}, bool admin = false) {
    model::Identity id;
    id.subject = id.local_account = name;
    id.issuer = std::string(model::kLocalIssuer);
    id.uid = id.gid = uid;
    id.groups = std::move(groups);
    if (!id.groups.empty()) id.vo = id.groups[0].substr(1, id.groups[0].find('/', 1) - 1);
    id.scopes = model::ScopeSet::All();
    id.source = "unix:" + id.Display();
    id.grants.admin = admin;
    return id;
  }
  model::Identity alice_ = Local(1000, "alice", {"/cms"});
  model::Identity bob_ = Local(1001, "bob", {"/atlas"});
  // May give a negative nice (issue 11: only privileged callers may).
  model::Identity root_ = Local(0, "root", {}, /*admin=*/true);
};

}  // namespace gantry::broker
