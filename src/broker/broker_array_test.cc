// Arrays: untouched tasks kept as one tail record, materialized one by one.
#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

model::JobSpec ArraySpec(model::JobSpec s, int64_t first, int64_t last) {
  s.array = model::ArraySpec{};
  for (int64_t i = first; i <= last; ++i) s.array->task_ids.push_back(i);
  return s;
}

class BrokerArrayTest : public BrokerTest {
 protected:
  std::vector<TaskSummary> Rows(std::optional<int64_t> job = std::nullopt) {
    QueueFilter f;
    if (job) f.jobs = {{*job, {}}};
    return broker_->Queue(alice_, f).value().rows;
  }
  int64_t Count(const std::vector<TaskSummary>& rows) {
    int64_t n = 0;
    for (const auto& r : rows) n += r.count;
    return n;
  }
  // Runs every assignment in work to the end with exit code 0.
  void Finish(const PollResponse& work) {
    std::vector<AttemptReport> reports;
    for (const auto& a : work.assignments) {
      reports.push_back(Report(a.attempt.id, AttemptReport::Type::kFinished, 0));
    }
    Poll(reports, 0);
  }
};

TEST_F(BrokerArrayTest, AMillionTasksAreOneRowUntilDispatched) {
  int64_t id = Submit(ArraySpec(Spec(), 0, 999'999));
  EXPECT_TRUE(store_->ListTasks({.include_finished = true}).value().empty());  // no task rows
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 1'000'000);
  EXPECT_EQ(rows[0].indexes, "0-999999");
  EXPECT_EQ(rows[0].task.state, TaskState::kReady);
  // The next submission's id comes after the whole range.
  EXPECT_EQ(Submit(Spec()), id + 1'000'000);
}

TEST_F(BrokerArrayTest, DispatchTakesTasksInOrderWithAGapFreeJournal) {
  int64_t id = Submit(ArraySpec(Spec(), 10, 19));
  PollResponse work = Poll({}, 3);
  ASSERT_EQ(work.assignments.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(work.assignments[i].task.id, id + i);
    EXPECT_EQ(work.assignments[i].task.array_index, 10 + i);
    EXPECT_EQ(work.assignments[i].array_task_count, 10);
  }
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 4u);  // three scheduled, and the rest as one row (newest first)
  EXPECT_EQ(rows.front().count, 7);
  EXPECT_EQ(rows.front().indexes, "13-19");
  auto events = broker_->Events(alice_, TaskRef{id, 10}).value();
  std::vector<TaskState> states;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].event.seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(events[i].event.task_id, id);
    states.push_back(events[i].event.state);
  }
  EXPECT_EQ(states, (std::vector<TaskState>{TaskState::kSubmitted, TaskState::kReady,
                                            TaskState::kScheduled}));
  // Untouched tasks share the tail's journal.
  auto untouched = broker_->Events(alice_, TaskRef{id, 15}).value();
  ASSERT_EQ(untouched.size(), 2u);
  EXPECT_EQ(untouched[1].event.task_id, id + 5);
  auto whole = broker_->Events(alice_, TaskRef{id, {}}).value();
  EXPECT_EQ(whole.back().tasks, std::to_string(id) + "_[13-19]");
}

TEST_F(BrokerArrayTest, SteeringOneUntouchedTaskTakesItOutOfTheTail) {
  int64_t id = Submit(ArraySpec(Spec(), 0, 9));
  EXPECT_EQ(broker_->Cancel(alice_, TaskRef{id, 5}).value(), 1);
  EXPECT_EQ(State(std::to_string(id) + "_5"), TaskState::kCancelled);
  EXPECT_EQ(State(std::to_string(id) + "_6"), TaskState::kReady);
  EXPECT_EQ(broker_->Hold(alice_, TaskRef{id + 7, {}}).value(), 1);  // by its own id
  auto rows = Rows(id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task.array_index, 7);
  EXPECT_EQ(rows[0].task.state, TaskState::kHeld);
  EXPECT_EQ(rows[1].indexes, "0-4,6,8-9");
  // Dispatch skips the taken ones and never hands out the cancelled or held task.
  PollResponse work = Poll({}, 4);
  std::vector<int64_t> got;
  for (const auto& a : work.assignments) got.push_back(*a.task.array_index);
  EXPECT_EQ(got, (std::vector<int64_t>{0, 1, 2, 3}));
  work = Poll({}, 4);
  got.clear();
  for (const auto& a : work.assignments) got.push_back(*a.task.array_index);
  EXPECT_EQ(got, (std::vector<int64_t>{4, 6, 8, 9}));
  EXPECT_EQ(Count(Rows(id)), 9);  // 8 scheduled + 1 held
}

TEST_F(BrokerArrayTest, WholeArraySteeringActsOnTheTailAtOnce) {
  int64_t id = Submit(ArraySpec(Spec(), 1, 100'000));
  PollResponse work = Poll({}, 2);
  ASSERT_EQ(work.assignments.size(), 2u);
  // The agent does not answer the withdrawals: the hold stops waiting after 5 s (fake).
  EXPECT_EQ(WhileTimePasses([&] { return broker_->Hold(alice_, TaskRef{id, {}}); }).value(),
            99'998);
  auto rows = Rows(id);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].task.state, TaskState::kHeld);
  EXPECT_EQ(rows[0].indexes, "3-100000");
  EXPECT_EQ(broker_->Release(alice_, TaskRef{id, {}}).value(), 99'998);
  EXPECT_EQ(Rows(id)[0].task.state, TaskState::kReady);
  // Cancel: the two on the agent are asked to stop, the rest end at once.
  EXPECT_EQ(broker_->Cancel(alice_, TaskRef{id, {}}).value(), 100'000);
  auto waited = broker_->Wait(alice_, TaskRef{id, {}}, 0).value();
  ASSERT_EQ(waited.size(), 3u);
  EXPECT_EQ(waited[2].count, 99'998);
  EXPECT_EQ(waited[2].task.state, TaskState::kCancelled);
  Finish(work);
  waited = broker_->Wait(alice_, TaskRef{id, {}}, 1000).value();
  for (const auto& row : waited) EXPECT_EQ(row.task.state, TaskState::kCancelled);
  EXPECT_EQ(Count(Rows(id)), 0);
  // Finished, its untouched tasks are still listed with --all.
  QueueFilter all;
  all.include_finished = true;
  all.jobs = {{id, {}}};
  EXPECT_EQ(Count(broker_->Queue(alice_, all).value().rows), 100'000);
  EXPECT_EQ(State(std::to_string(id) + "_500"), TaskState::kCancelled);
  EXPECT_EQ(State(std::to_string(id + 499)), TaskState::kCancelled);
}

TEST_F(BrokerArrayTest, ATailSurvivesARestartAndDispatchGoesOn) {
  int64_t id = Submit(ArraySpec(Spec(), 0, 9));
  ASSERT_TRUE(broker_->Cancel(alice_, TaskRef{id, 4}));
  Finish(Poll({}, 3));
  running_.clear();
  Open();
  auto rows = Rows(id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].indexes, "3,5-9");
  PollResponse work = Poll({}, 4, "a2");
  std::vector<int64_t> got;
  for (const auto& a : work.assignments) got.push_back(*a.task.array_index);
  EXPECT_EQ(got, (std::vector<int64_t>{3, 5, 6, 7}));
  EXPECT_EQ(Submit(Spec()), id + 10);
}

TEST_F(BrokerArrayTest, DependantsWaitForEveryTaskIncludingUntouchedOnes) {
  int64_t arr = Submit(ArraySpec(Spec(), 0, 3));
  model::JobSpec dep = Spec("after");
  dep.dependencies = {{model::DependencyType::kAfterOk, {std::to_string(arr)}}};
  int64_t after = Submit(dep);
  EXPECT_EQ(State(std::to_string(after)), TaskState::kWaiting);
  Finish(Poll({}, 2));
  EXPECT_EQ(State(std::to_string(after)), TaskState::kWaiting);  // two still untouched
  Finish(Poll({}, 2));
  EXPECT_EQ(State(std::to_string(after)), TaskState::kReady);
}

TEST_F(BrokerArrayTest, AWaitingArrayIsReleasedByItsDependencyAsOneRecord) {
  int64_t first = Submit(Spec());
  model::JobSpec s = ArraySpec(Spec("arr"), 0, 49'999);
  s.dependencies = {{model::DependencyType::kAfterOk, {std::to_string(first)}}};
  int64_t arr = Submit(s);
  EXPECT_EQ(Rows(arr)[0].task.state, TaskState::kWaiting);
  Finish(Poll({}, 1));
  auto rows = Rows(arr);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task.state, TaskState::kReady);
  EXPECT_EQ(rows[0].count, 50'000);
  // And one whose dependency fails is cancelled as one.
  ASSERT_TRUE(broker_->Cancel(alice_, TaskRef{arr, {}}));
  int64_t bad = Submit(Spec());
  s.dependencies = {{model::DependencyType::kAfterOk, {std::to_string(bad)}}};
  int64_t doomed = Submit(s);
  PollResponse work = Poll({}, 4);
  for (const auto& a : work.assignments) {
    if (a.task.id == bad) {
      Poll({Report(a.attempt.id, AttemptReport::Type::kFinished, 3)}, 0);
    }
  }
  ASSERT_EQ(Rows(doomed).size(), 0u);
  EXPECT_EQ(State(std::to_string(doomed) + "_7"), TaskState::kCancelled);
}

TEST_F(BrokerArrayTest, OnlyArrayTasksGoToAnAgentsQueue) {
  model::JobSpec single = Spec("single");
  single.cpus_per_task = 2;
  Submit(single);
  Submit(ArraySpec(Spec(), 0, 9));
  model::JobSpec urgent = ArraySpec(Spec(), 0, 9);
  urgent.nice = -10;
  int64_t arr = Submit(urgent, &root_);
  PollRequest req = Request(0);  // full, room for 3 queued
  req.status.free_memory_mb = 0;
  req.status.queue_cpus = 3;
  req.status.queue_memory_mb = 8000;
  PollResponse work = Send(req).value();
  // The single job waits here for free cores; only the array ahead of it may queue.
  ASSERT_EQ(work.assignments.size(), 3u);
  for (const auto& a : work.assignments) EXPECT_EQ(a.job->id, arr);
  // Never more than the agent has, queue or not.
  model::JobSpec wide = ArraySpec(Spec("wide"), 0, 1);
  wide.cpus_per_task = 5;
  int64_t too_wide = Submit(wide);
  req.status.free_cpus = req.status.queue_cpus = 4;
  req.status.free_memory_mb = 8000;
  work = Send(req).value();
  for (const auto& a : work.assignments) EXPECT_NE(a.job->id, too_wide);
}

TEST_F(BrokerArrayTest, AFailedCommitLeavesTheTailAsItWas) {
  int64_t id = Submit(ArraySpec(Spec(), 0, 9));
  store_->fail_ = true;
  EXPECT_FALSE(Send(Request()));
  EXPECT_FALSE(broker_->Cancel(alice_, TaskRef{id, 3}));
  store_->fail_ = false;
  auto rows = Rows(id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 10);
  PollResponse work = Poll({}, 2);
  ASSERT_EQ(work.assignments.size(), 2u);
  EXPECT_EQ(work.assignments[0].task.array_index, 0);
  EXPECT_EQ(work.assignments[0].attempt.number, 1);
}

}  // namespace
}  // namespace gantry::broker
