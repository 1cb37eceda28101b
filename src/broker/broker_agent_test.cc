// The agent protocol: start and end times, restarts, losses.
#include <algorithm>
#include <chrono>
#include <thread>

#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

using Type = AttemptReport::Type;

// Regression: an attempt whose end reached the server before its start (the agent sends
// only the end then) was recorded as starting at its end, so a finished job had no run time
// and `q` counted its TIME up from the clock.
TEST_F(BrokerTest, AnEndWithoutAStartRecordsTheStartTheAgentReported) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  AttemptReport end = Report(work.assignments[0].attempt.id, Type::kFinished);
  end.start_time = clock_.Now() - 3 * kMicrosPerSecond;
  end.time = clock_.Now() - kMicrosPerSecond;
  Poll({end});
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_EQ(detail.summary.task.state, TaskState::kDone);
  EXPECT_EQ(detail.summary.task.start_time, end.start_time);
  EXPECT_EQ(detail.summary.task.end_time, end.time);
  ASSERT_EQ(detail.attempts.size(), 1u);
  EXPECT_EQ(detail.attempts[0].start_time, end.start_time);
  EXPECT_EQ(detail.attempts[0].end_time, end.time);
}

// Each restart of the server with an agent that goes with it (gantry up, SIGTERM) loses a
// started attempt: a deep retry each time, until MaxRetries and the allowance for lost
// attempts are spent; then the job fails instead of running forever.
TEST_F(BrokerTest, AStartedAttemptLostAtEachRestartIsADeepRetryUntilTheJobFails) {
  model::JobSpec s = Spec();
  s.max_retries = 1;
  int64_t id = Submit(s);
  const int64_t allowed = s.max_retries + 3;  // kLostRunningAllowance (docs/jobs.md)
  for (int64_t attempt = 1; attempt <= allowed + 1; ++attempt) {
    auto work = Poll();
    ASSERT_EQ(work.assignments.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(work.assignments[0].attempt.number, attempt);
    Poll({Report(work.assignments[0].attempt.id, Type::kStarted)});
    ASSERT_TRUE(broker_->Leave("a1"));  // gantry up stops: its agent kills the job and leaves
    running_.clear();
    Open();
  }
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_EQ(detail.summary.task.state, TaskState::kFailed);
  EXPECT_EQ(detail.summary.task.deep_retries, allowed);
  EXPECT_EQ(detail.attempts.size(), static_cast<size_t>(allowed + 1));
  EXPECT_TRUE(Poll().assignments.empty());
}

// Regression (issue 10): two agents with the same name (the default `local`) wrote off each
// other's attempts. The first holds the name; a second one is refused while it lives.
TEST_F(BrokerTest, ASecondLiveAgentWithATakenNameIsRefused) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  int64_t first = work.assignments[0].attempt.id;
  EXPECT_NE(work.instance, 0);
  Poll({Report(first, Type::kStarted)});  // the first agent knows its instance now
  PollRequest other = Request();  // a new process: no instance, lists nothing
  auto refused = broker_->Poll(other);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(refused.error().message().find("taken by a live agent"), std::string::npos);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kRunning) << "its attempt was not written off";
  ASSERT_TRUE(broker_->Leave("a1", work.instance + 1));  // a stale instance leaves nothing
  EXPECT_EQ(State(std::to_string(id)), TaskState::kRunning);
  ASSERT_TRUE(broker_->Leave("a1", work.instance));  // the holder goes: the name is free
  auto taken = broker_->Poll(other);
  ASSERT_TRUE(taken) << taken.error().message();
  EXPECT_NE(taken->instance, work.instance);
}

// A server restart forgets instances: the agent that polls first with its own keeps it.
TEST_F(BrokerTest, AfterARestartTheAgentKeepsItsInstance) {
  auto first = Poll();
  Poll();
  Open();
  auto again = Poll();
  EXPECT_EQ(again.instance, first.instance);
}

model::JobSpec Array(model::JobSpec s, int64_t n, int64_t nice = 0) {
  s.array = model::ArraySpec{};
  for (int64_t i = 1; i <= n; ++i) s.array->task_ids.push_back(i);
  s.nice = nice;
  return s;
}

class BrokerPriorityTest : public BrokerTest {
 protected:
  // A job on all 4 cores of the agent; returns its attempt (0 if it was not sent).
  int64_t Fill() {
    model::JobSpec wide = Spec("fill");
    wide.cpus_per_task = 4;
    Submit(wide);
    auto fill = Poll();
    return fill.assignments.size() == 1 ? fill.assignments[0].attempt.id : 0;
  }
  // A poll from a full agent (cores busy) with room for `queue` more cores in its queue.
  PollResponse PollFull(int64_t queue) {
    PollRequest req = Request(0);
    req.status.queue_cpus = queue;
    req.status.queue_memory_mb = 8000;
    req.running_attempts = running_;
    PollResponse r = Send(req).value();
    for (const auto& a : r.assignments) running_.push_back(a.attempt.id);
    return r;
  }
};

// Regression (issue 11 item 7): `hold ARRAY` held only the tasks still in the server's
// queue; those queued on the agent but not started ran afterwards.
TEST_F(BrokerTest, HoldTakesBackArrayTasksQueuedOnTheAgentButNotStarted) {
  int64_t id = Submit(Array(Spec(), 4));
  PollRequest req = Request(2);
  req.status.queue_cpus = 2;
  req.status.queue_memory_mb = 8000;
  auto work = Send(req).value();
  ASSERT_EQ(work.assignments.size(), 4u);
  for (const auto& a : work.assignments) running_.push_back(a.attempt.id);
  int64_t first = work.assignments[0].attempt.id, second = work.assignments[1].attempt.id;
  Poll({Report(first, Type::kStarted), Report(second, Type::kStarted)}, 0);

  Result<int64_t> held = 0;
  std::thread hold([&] { held = broker_->Hold(alice_, TaskRef{id, {}}); });
  // Play the agent: its next poll brings the orders; the two queued tasks go back.
  std::vector<int64_t> withdraw;
  for (int i = 0; i < 500 && withdraw.empty(); ++i) {
    withdraw = Poll({}, 0).withdraw_attempts;
    if (withdraw.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::sort(withdraw.begin(), withdraw.end());
  EXPECT_EQ(withdraw, (std::vector<int64_t>{work.assignments[2].attempt.id,
                                            work.assignments[3].attempt.id}));
  std::vector<AttemptReport> back;
  for (int64_t a : withdraw) back.push_back(Report(a, Type::kWithdrawn));
  Poll(back, 0);
  hold.join();
  ASSERT_TRUE(held) << held.error().message();
  EXPECT_EQ(*held, 2);
  EXPECT_EQ(State(std::to_string(id) + "_1"), TaskState::kRunning);
  EXPECT_EQ(State(std::to_string(id) + "_3"), TaskState::kHeld);
  EXPECT_EQ(State(std::to_string(id) + "_4"), TaskState::kHeld);
  EXPECT_TRUE(Poll({}, 4).assignments.empty()) << "held tasks are not sent again";
  ASSERT_TRUE(broker_->Release(alice_, TaskRef{id, {}}));
  EXPECT_EQ(Poll({}, 4).assignments.size(), 2u);
}

TEST_F(BrokerTest, AHoldStopsWaitingForASilentAgentWhenTheClockPassesItsDeadline) {
  int64_t id = Submit(Array(Spec(), 2));
  PollRequest req = Request(1);
  req.status.queue_cpus = 1;
  req.status.queue_memory_mb = 8000;
  auto work = Send(req).value();
  ASSERT_EQ(work.assignments.size(), 2u);
  // The agent never polls again: the hold gives up after its 5 s of (fake) time.
  Result<int64_t> held = WhileTimePasses([&] { return broker_->Hold(alice_, TaskRef{id, {}}); });
  ASSERT_FALSE(held);
  EXPECT_NE(held.error().message().find("its tasks started"), std::string::npos)
      << held.error().message();
}

// Regression (issue 11 item 3): array tasks filled the agent's queue ahead of a better
// single job waiting for its cores, and refilled it as they ran: the single job ran last.
TEST_F(BrokerPriorityTest, ABetterSingleJobIsNotOvertakenByArrayTasksQueuedOnTheAgent) {
  int64_t filler = Fill();
  ASSERT_NE(filler, 0);
  Poll({Report(filler, Type::kStarted)}, 0);
  int64_t arr = Submit(Array(Spec("arr"), 20, 1000));
  auto queued = PollFull(2);
  ASSERT_EQ(queued.assignments.size(), 2u) << "nothing better waits: the array may queue";

  model::JobSpec urgent = Spec("single");
  urgent.nice = -1000;
  int64_t single = Submit(urgent, &root_);
  auto answer = PollFull(2);
  EXPECT_TRUE(answer.assignments.empty()) << "no refill while the single job waits";
  std::vector<int64_t> withdraw = answer.withdraw_attempts;
  std::sort(withdraw.begin(), withdraw.end());
  EXPECT_EQ(withdraw, (std::vector<int64_t>{queued.assignments[0].attempt.id,
                                            queued.assignments[1].attempt.id}));
  std::vector<AttemptReport> back;
  for (int64_t a : withdraw) back.push_back(Report(a, Type::kWithdrawn));
  Poll(back, 0);
  EXPECT_EQ(State(std::to_string(arr) + "_1"), TaskState::kReady);
  auto why = broker_->Describe(root_, TaskRef{single, {}}).value()[0].why;
  EXPECT_NE(why.find("0 job(s) ahead"), std::string::npos) << why;

  auto next = Poll({Report(filler, Type::kFinished)}, 1);  // one core free
  ASSERT_EQ(next.assignments.size(), 1u);
  EXPECT_EQ(next.assignments[0].job->id, single) << "the single job starts first";
  auto events = broker_->Events(alice_, TaskRef{arr, 1}).value();
  EXPECT_NE(events.back().event.reason.find("higher priority"), std::string::npos)
      << events.back().event.reason;
}

// With equal nice, submission order decides: a single job submitted before an array runs
// before the array's later tasks, though the array could fill the agent's queue.
TEST_F(BrokerPriorityTest, WithEqualNiceASingleJobSubmittedFirstRunsBeforeTheArrayBehindIt) {
  int64_t filler = Fill();
  ASSERT_NE(filler, 0);
  int64_t single = Submit(Spec("single"));
  int64_t arr = Submit(Array(Spec("arr"), 20));
  EXPECT_TRUE(PollFull(4).assignments.empty());
  auto next = Poll({Report(filler, Type::kStarted), Report(filler, Type::kFinished)}, 4);
  ASSERT_EQ(next.assignments.size(), 4u);
  EXPECT_EQ(next.assignments[0].job->id, single);
  for (size_t i = 1; i < next.assignments.size(); ++i) EXPECT_EQ(next.assignments[i].job->id, arr);
}

}  // namespace
}  // namespace gantry::broker
