#include "metrics/store_meter.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace gantry::metrics {
namespace {

using model::TaskState;

class StoreMeterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gantry_meter_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    inner_ = store::OpenSqliteStore(dir_ + "/db").value();
    meter_ = std::make_unique<MeteredStore>(*inner_, registry_, "local");
  }
  model::Job Job(int64_t id, std::string partition = "", int64_t array = 0) {
    model::Job j;
    j.id = id;
    j.owner = {1000, 1000, "alice"};
    j.submit_time = 1'000 * kMicrosPerSecond;
    j.spec.name = "j";
    j.spec.script = "#!/bin/sh\n";
    j.spec.submit_dir = j.spec.working_dir = "/tmp";
    j.spec.partition = partition;
    if (array) {
      j.spec.array = model::ArraySpec{};
      for (int64_t i = 0; i < array; ++i) j.spec.array->task_ids.push_back(i);
    }
    return j;
  }
  model::Task Task(int64_t id, TaskState state, int64_t attempts = 0, TimeMicros start = 0) {
    model::Task t;
    t.id = t.job_id = id;
    t.owner_uid = 1000;
    t.state = state;
    t.attempts = attempts;
    t.start_time = start;
    return t;
  }
  void Commit(store::Batch b) { ASSERT_TRUE(meter_->Commit(b)); }
  bool Has(const std::string& line) {
    std::string text = registry_.Render();
    bool found = text.find(line + "\n") != std::string::npos;
    if (!found) ADD_FAILURE() << "no '" << line << "' in:\n" << text;
    return found;
  }

  std::string dir_;
  Registry registry_;
  std::unique_ptr<store::Store> inner_;
  std::unique_ptr<MeteredStore> meter_;
};

TEST_F(StoreMeterTest, CountsJobsByStateAsTheyMoveAndEnd) {
  store::Batch submit;
  submit.new_jobs = {Job(1), Job(2, "gpu")};
  submit.tasks = {Task(1, TaskState::kReady), Task(2, TaskState::kReady)};
  Commit(submit);
  Has("gantry_jobs{state=\"READY\",partition=\"local\"} 1");
  Has("gantry_jobs{state=\"READY\",partition=\"gpu\"} 1");
  Has("gantry_jobs_submitted_total{partition=\"local\"} 1");
  store::Batch run;
  run.tasks = {Task(1, TaskState::kRunning, 1, 1'030 * kMicrosPerSecond)};
  Commit(run);
  Has("gantry_jobs{state=\"READY\",partition=\"local\"} 0");
  Has("gantry_jobs{state=\"RUNNING\",partition=\"local\"} 1");
  Has("gantry_queue_wait_seconds_bucket{partition=\"local\",le=\"30\"} 1");
  Has("gantry_queue_wait_seconds_bucket{partition=\"local\",le=\"15\"} 0");
  Has("gantry_queue_wait_seconds_sum{partition=\"local\"} 30");
  store::Batch done;
  done.tasks = {Task(1, TaskState::kDone, 1)};
  Commit(done);
  Has("gantry_jobs{state=\"RUNNING\",partition=\"local\"} 0");
  Has("gantry_jobs_completed_total{state=\"DONE\",partition=\"local\"} 1");
}

TEST_F(StoreMeterTest, AnArraysUntouchedTasksCountFromItsTail) {
  store::Batch submit;
  submit.new_jobs = {Job(10, "", 100)};
  model::ArrayTail tail;
  tail.job_id = 10;
  tail.count = 100;
  tail.state = TaskState::kReady;
  submit.tails = {tail};
  Commit(submit);
  Has("gantry_jobs_submitted_total{partition=\"local\"} 100");
  Has("gantry_jobs{state=\"READY\",partition=\"local\"} 100");
  // One task leaves the tail and runs.
  store::Batch take;
  tail.next = 1;
  take.tails = {tail};
  model::Task t = Task(10, TaskState::kScheduled);
  take.tasks = {t};
  Commit(take);
  Has("gantry_jobs{state=\"READY\",partition=\"local\"} 99");
  Has("gantry_jobs{state=\"SCHEDULED\",partition=\"local\"} 1");
  // The rest is cancelled.
  store::Batch cancel;
  tail.state = TaskState::kCancelled;
  cancel.tails = {tail};
  Commit(cancel);
  Has("gantry_jobs{state=\"READY\",partition=\"local\"} 0");
  Has("gantry_jobs_completed_total{state=\"CANCELLED\",partition=\"local\"} 99");
}

TEST_F(StoreMeterTest, ARestartCountsWhatIsUnfinishedWithoutObservingWaitsAgain) {
  store::Batch b;
  b.new_jobs = {Job(1)};
  b.tasks = {Task(1, TaskState::kRunning, 1, 1'010 * kMicrosPerSecond)};
  ASSERT_TRUE(inner_->Commit(b));  // before this server started
  ASSERT_TRUE(meter_->LoadActive());
  Has("gantry_jobs{state=\"RUNNING\",partition=\"local\"} 1");
  EXPECT_EQ(registry_.Render().find("gantry_queue_wait_seconds_count"), std::string::npos);
}

TEST_F(StoreMeterTest, AFailedCommitChangesNoMetric) {
  store::Batch b;
  b.new_jobs = {Job(1)};
  b.tasks = {Task(1, TaskState::kReady)};
  Commit(b);
  std::string before = registry_.Render();
  store::Batch again;  // the same job id again: refused by the store
  again.new_jobs = {Job(1)};
  again.tasks = {Task(1, TaskState::kRunning, 1, 1)};
  EXPECT_FALSE(meter_->Commit(again));
  EXPECT_EQ(registry_.Render(), before);
}

}  // namespace
}  // namespace gantry::metrics
