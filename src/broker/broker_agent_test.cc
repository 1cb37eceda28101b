// The agent protocol: start and end times, restarts, losses.
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

}  // namespace
}  // namespace gantry::broker
