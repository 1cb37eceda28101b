#include <thread>

#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

TEST_F(BrokerTest, RunsAJobThroughItsLifecycleWithAGapFreeJournal) {
  int64_t id = Submit(Spec());
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  PollResponse work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  int64_t attempt = work.assignments[0].attempt.id;
  EXPECT_EQ(State(std::to_string(id)), TaskState::kScheduled);
  Poll({Report(attempt, AttemptReport::Type::kStarted)});
  EXPECT_EQ(State(std::to_string(id)), TaskState::kRunning);
  Poll({Report(attempt, AttemptReport::Type::kFinished, 0)});
  EXPECT_EQ(State(std::to_string(id)), TaskState::kDone);

  auto events = broker_->Events(alice_, TaskRef{id, {}}).value();
  std::vector<TaskState> states;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].event.seq, static_cast<int64_t>(i + 1));
    states.push_back(events[i].event.state);
  }
  EXPECT_EQ(states, (std::vector<TaskState>{TaskState::kSubmitted, TaskState::kReady,
                                            TaskState::kScheduled, TaskState::kRunning,
                                            TaskState::kDone}));
}

TEST_F(BrokerTest, NeverHandsOutMoreCpusThanTheAgentHasFree) {
  model::JobSpec s = Spec();
  s.cpus_per_task = 3;
  Submit(s);
  Submit(s);
  EXPECT_EQ(Poll({}, 4).assignments.size(), 1u);
  EXPECT_EQ(Poll({}, 1).assignments.size(), 0u);
}

TEST_F(BrokerTest, ArrayMaxConcurrentLimitsRunningTasks) {
  model::JobSpec s = Spec();
  s.array = model::ArraySpec{{0, 1, 2, 3, 4}, 2, "0-4%2"};
  int64_t id = Submit(s);
  PollResponse work = Poll({}, 64);
  EXPECT_EQ(work.assignments.size(), 2u);
  auto status = broker_->Describe(alice_, TaskRef{id, 4}).value();
  EXPECT_NE(status[0].why.find("JobArrayTaskLimit"), std::string::npos) << status[0].why;
  Poll({Report(work.assignments[0].attempt.id, AttemptReport::Type::kFinished)}, 64);
  EXPECT_EQ(State(std::to_string(id) + "_2"), TaskState::kScheduled);
}

TEST_F(BrokerTest, AfterOkWaitsAndIsCancelledWhenTheParentFails) {
  int64_t parent = Submit(Spec());
  model::JobSpec child = Spec();
  child.dependencies = {{model::DependencyType::kAfterOk, {std::to_string(parent)}}};
  int64_t kid = Submit(child);
  EXPECT_EQ(State(std::to_string(kid)), TaskState::kWaiting);
  auto work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  Poll({Report(work.assignments[0].attempt.id, AttemptReport::Type::kFinished, 3)});
  EXPECT_EQ(State(std::to_string(parent)), TaskState::kFailed);
  EXPECT_EQ(State(std::to_string(kid)), TaskState::kCancelled);
}

TEST_F(BrokerTest, AfterOkReleasesTheChildWhenTheParentSucceeds) {
  int64_t parent = Submit(Spec());
  model::JobSpec child = Spec();
  child.dependencies = {{model::DependencyType::kAfterOk, {std::to_string(parent)}}};
  int64_t kid = Submit(child);
  auto work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  Poll({Report(work.assignments[0].attempt.id, AttemptReport::Type::kFinished, 0)});
  EXPECT_EQ(State(std::to_string(kid)), TaskState::kScheduled);
}

TEST_F(BrokerTest, DependencyOnAMissingJobIsRefused) {
  model::JobSpec child = Spec();
  child.dependencies = {{model::DependencyType::kAfterOk, {"999"}}};
  auto r = broker_->Submit(alice_, child);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("afterok:999"), std::string::npos);
}

TEST_F(BrokerTest, CancelOfARunningJobWaitsForTheAgent) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  int64_t attempt = work.assignments[0].attempt.id;
  Poll({Report(attempt, AttemptReport::Type::kStarted)});
  ASSERT_EQ(broker_->Cancel(alice_, TaskRef{id, {}}).value(), 1);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kRunning);
  auto orders = Poll();
  EXPECT_EQ(orders.kill_attempts, std::vector<int64_t>{attempt});
  AttemptReport killed = Report(attempt, AttemptReport::Type::kFinished, -1);
  killed.signal = 15;
  Poll({killed});
  EXPECT_EQ(State(std::to_string(id)), TaskState::kCancelled);
}

TEST_F(BrokerTest, HoldAndRelease) {
  int64_t id = Submit(Spec());
  ASSERT_TRUE(broker_->Hold(alice_, TaskRef{id, {}}));
  EXPECT_EQ(State(std::to_string(id)), TaskState::kHeld);
  EXPECT_TRUE(Poll().assignments.empty());
  ASSERT_TRUE(broker_->Release(alice_, TaskRef{id, {}}));
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  EXPECT_FALSE(broker_->Release(alice_, TaskRef{id, {}}));
}

TEST_F(BrokerTest, DeepRetriesThenFails) {
  model::JobSpec s = Spec();
  s.max_retries = 1;
  int64_t id = Submit(s);
  auto work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  int64_t a = work.assignments[0].attempt.id;
  // The retry is handed out in the same answer that took the failure.
  auto retry = Poll({Report(a, AttemptReport::Type::kStarted),
                     Report(a, AttemptReport::Type::kFinished, 1)});
  ASSERT_EQ(retry.assignments.size(), 1u);
  EXPECT_EQ(retry.assignments[0].attempt.number, 2);
  int64_t b = retry.assignments[0].attempt.id;
  auto none = Poll({Report(b, AttemptReport::Type::kStarted),
                    Report(b, AttemptReport::Type::kFinished, 1)});
  EXPECT_TRUE(none.assignments.empty());
  EXPECT_EQ(State(std::to_string(id)), TaskState::kFailed);
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_EQ(detail.attempts.size(), 2u);
  EXPECT_EQ(detail.summary.task.deep_retries, 1);
}

TEST_F(BrokerTest, LateReportsAreNotAppliedTwice) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  int64_t a = work.assignments[0].attempt.id;
  Poll({Report(a, AttemptReport::Type::kStarted), Report(a, AttemptReport::Type::kFinished)});
  size_t events = broker_->Events(alice_, TaskRef{id, {}}).value().size();
  Poll({Report(a, AttemptReport::Type::kFinished, 9)});
  EXPECT_EQ(broker_->Events(alice_, TaskRef{id, {}}).value().size(), events);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kDone);
}

TEST_F(BrokerTest, AnAttemptTheAgentForgotBeforeStartingIsRequeuedShallow) {
  int64_t id = Submit(Spec());
  Poll();
  running_.clear();  // the agent restarted and lost it
  auto again = Poll();
  ASSERT_EQ(again.assignments.size(), 1u);
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_EQ(detail.summary.task.deep_retries, 0);
  EXPECT_EQ(detail.attempts.size(), 2u);
}

TEST_F(BrokerTest, UsersSeeAndTouchOnlyTheirOwnJobs) {
  int64_t id = Submit(Spec());
  auto r = broker_->Cancel(bob_, TaskRef{id, {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_FALSE(broker_->Describe(bob_, TaskRef{id, {}}));
  EXPECT_TRUE(broker_->Queue(bob_, {}).value().rows.empty());
  EXPECT_EQ(broker_->Queue(alice_, {}).value().rows.size(), 1u);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
}

TEST_F(BrokerTest, AFailedCommitChangesNothing) {
  int64_t id = Submit(Spec());
  store_->fail_ = true;
  EXPECT_FALSE(broker_->Cancel(alice_, TaskRef{id, {}}));
  EXPECT_FALSE(broker_->Submit(alice_, Spec()));
  store_->fail_ = false;
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  EXPECT_EQ(broker_->Queue(alice_, {}).value().rows.size(), 1u);
  int64_t next = Submit(Spec());
  EXPECT_EQ(next, id + 1);  // no id was burnt by the failed submission
}

TEST_F(BrokerTest, RestartKeepsQueuedWorkAndRequeuesLostAttempts) {
  int64_t started = Submit(Spec());  // first in the queue: it gets the only CPU
  int64_t queued = Submit(Spec());
  auto work = Poll({}, 1);
  ASSERT_EQ(work.assignments.size(), 1u);
  Poll({Report(work.assignments[0].attempt.id, AttemptReport::Type::kStarted)}, 0);
  Open();  // "crash" and restart
  running_.clear();
  auto again = Poll({}, 4);
  EXPECT_EQ(again.assignments.size(), 2u);
  auto detail = broker_->Describe(alice_, TaskRef{started, {}}).value()[0];
  EXPECT_EQ(detail.summary.task.state, TaskState::kScheduled);
  EXPECT_EQ(detail.attempts.size(), 2u);
  EXPECT_EQ(detail.summary.task.deep_retries, 1);  // it had started
  EXPECT_EQ(broker_->Describe(alice_, TaskRef{queued, {}}).value()[0].summary.task.deep_retries, 0);
}

TEST_F(BrokerTest, JobsGoOnlyToAgentsTheirRequirementsAccept) {
  model::JobSpec s = Spec();
  s.requirements = "TARGET.Site == \"there\"";
  int64_t id = Submit(s);
  EXPECT_TRUE(Poll().assignments.empty());
  auto why = broker_->Describe(alice_, TaskRef{id, {}}).value()[0].why;
  EXPECT_NE(why.find("no agent matches"), std::string::npos) << why;
  EXPECT_NE(why.find("Site"), std::string::npos) << why;
  EXPECT_EQ(Poll({}, 4, "a2", "[Site = \"there\"]").assignments.size(), 1u);
}

TEST_F(BrokerTest, AnAgentStartExpressionRefusesJobs) {
  Submit(Spec());
  EXPECT_TRUE(Poll({}, 4, "a1", "[START = TARGET.Owner == \"bob\"]").assignments.empty());
  EXPECT_EQ(Poll({}, 4, "a1", "[START = TARGET.Owner == \"alice\"]").assignments.size(), 1u);
}

TEST_F(BrokerTest, BadRequirementsAreRefusedAtSubmission) {
  model::JobSpec s = Spec();
  s.requirements = "TARGET.Site ==";
  auto r = broker_->Submit(alice_, s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

// Regression (issue 11): --nice=-2147483645 was accepted from any user, and the job overtook
// everyone else's.
TEST_F(BrokerTest, NegativeNiceIsRefusedUnlessTheCallerIsPrivileged) {
  model::JobSpec s = Spec();
  s.nice = -2147483645;
  auto r = broker_->Submit(alice_, s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(r.error().message().find("negative nice"), std::string::npos) << r.error().message();
  model::Identity admin = Local(0, "root", {}, true);
  EXPECT_TRUE(broker_->Submit(admin, s));
  s.nice = 2147483645;
  EXPECT_TRUE(broker_->Submit(alice_, s));
  s.nice = 2147483646;
  r = broker_->Submit(admin, s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(BrokerTest, RankLeavesAJobForTheAgentItPrefers) {
  model::JobSpec s = Spec();
  s.rank = "TARGET.Memory";
  Poll({}, 4, "big", "[Memory = 64000]");  // known, live, with room
  Submit(s);
  EXPECT_TRUE(Poll({}, 4, "small", "[Memory = 1000]").assignments.empty());
  EXPECT_EQ(Poll({}, 4, "big", "[Memory = 64000]").assignments.size(), 1u);
}

TEST_F(BrokerTest, ALostAgentsWorkIsRequeuedAndItsLateCopyKilled) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  int64_t attempt = work.assignments[0].attempt.id;
  Poll({Report(attempt, AttemptReport::Type::kStarted)});
  clock_.Advance(61 * kMicrosPerSecond);  // silent past the agent timeout
  broker_->Tick();
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_EQ(detail.summary.task.state, TaskState::kReady);
  EXPECT_EQ(detail.summary.task.deep_retries, 1);
  // The agent comes back, still running the old attempt: it is told to kill it, and its
  // late report changes nothing.
  auto back = Poll({}, 0);
  EXPECT_EQ(back.kill_attempts, std::vector<int64_t>{attempt});
  size_t events = broker_->Events(alice_, TaskRef{id, {}}).value().size();
  Poll({Report(attempt, AttemptReport::Type::kFinished, 0)}, 0);
  EXPECT_EQ(broker_->Events(alice_, TaskRef{id, {}}).value().size(), events);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
}

TEST_F(BrokerTest, AnAgentThatLeftGetsNoWorkFromAPollStillInFlight) {
  Poll();  // the agent is known
  std::thread poller([&] {
    auto r = Send(Request(4, 10'000));
    EXPECT_TRUE(r && r->assignments.empty());
  });
  // Let the poll start waiting, then the agent leaves and a job arrives.
  while (broker_->WaitingPollsForTest() == 0) std::this_thread::yield();
  ASSERT_TRUE(broker_->Leave("a1"));
  int64_t id = Submit(Spec());
  poller.join();
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  auto why = broker_->Describe(alice_, TaskRef{id, {}}).value()[0].why;
  EXPECT_NE(why.find("no agent is connected"), std::string::npos) << why;
}

TEST_F(BrokerTest, AnInFlightPollOfALostAgentTakesNoWork) {
  Poll();  // the agent is known
  std::thread poller([&] {
    auto r = Send(Request(4, 10'000));
    EXPECT_TRUE(r && r->assignments.empty());  // its answer would go to a frozen agent
  });
  while (broker_->WaitingPollsForTest() == 0) std::this_thread::yield();
  clock_.Advance(61 * kMicrosPerSecond);  // silent past the agent timeout
  broker_->Tick();
  int64_t id = Submit(Spec());
  poller.join();
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
}

TEST_F(BrokerTest, ALongPollEndsWithinAThirdOfTheAgentTimeout) {
  broker_.reset();
  BrokerOptions options;
  options.agent_timeout_seconds = 1;
  broker_ = Broker::Create(*store_, clock_, options).value();
  // An hour: were it honoured, this test would hang. The wait is on the injected clock, so
  // it ends when the fake time passes a third of the timeout, not after real time.
  Result<PollResponse> r = Fail(Internal("not answered"));
  std::thread poller([&] { r = Send(Request(4, 3'600'000)); });
  while (broker_->WaitingPollsForTest() == 0) std::this_thread::yield();
  clock_.Advance(400 * kMicrosPerMilli);
  poller.join();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->assignments.empty());
}

TEST_F(BrokerTest, AWaitEndsWhenTheInjectedClockPassesItsTimeout) {
  int64_t id = Submit(Spec());
  Result<std::vector<TaskSummary>> r = Fail(Internal("not answered"));
  std::thread waiter([&] { r = broker_->Wait(alice_, TaskRef{id, {}}, 3'600'000); });
  // An hour of fake time, a second at a time: the wait ends once its deadline is passed.
  std::atomic<bool> done = false;
  std::thread advancer([&] {
    while (!done) {
      clock_.Advance(60 * kMicrosPerSecond);
      std::this_thread::yield();
    }
  });
  waiter.join();
  done = true;
  advancer.join();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ((*r)[0].task.state, TaskState::kReady);
}

TEST_F(BrokerTest, AWakeThatArrivesBeforeItsPollEndsThatPollAtOnce) {
  // The agent woke "the poll in flight" before the request got here: the request does not
  // carry the report the wake was for, so it must return, not wait the long-poll out.
  Poll();  // the agent is known
  broker_->Wake("a1");
  auto start = std::chrono::steady_clock::now();
  // The broker caps the wait at 20 s: were the wake lost, this test would take that long.
  ASSERT_TRUE(Send(Request(4, 3'600'000)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(BrokerTest, AWrittenOffAttemptStillRunningFencesItsTaskUntilKilled) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  int64_t attempt = work.assignments[0].attempt.id;
  Poll({Report(attempt, AttemptReport::Type::kStarted)});
  clock_.Advance(61 * kMicrosPerSecond);
  broker_->Tick();
  ASSERT_EQ(State(std::to_string(id)), TaskState::kReady);
  // Back, still running attempt 1, with room: it is told to kill it and gets no new
  // attempt of the same task while the old one may live.
  auto back = Poll({}, 4);
  EXPECT_EQ(back.kill_attempts, std::vector<int64_t>{attempt});
  EXPECT_TRUE(back.assignments.empty());
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  // The killed attempt's (stale) report comes: now the task runs again, as attempt 2.
  auto again = Poll({Report(attempt, AttemptReport::Type::kFinished, 143)}, 4);
  ASSERT_EQ(again.assignments.size(), 1u);
  EXPECT_EQ(again.assignments[0].attempt.number, 2);
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_NE(detail.attempts[0].exit_code, 143);  // the late report changed nothing
}

TEST_F(BrokerTest, AnotherAgentMayRunTheTaskOfALostAgentThatHasNotComeBack) {
  int64_t id = Submit(Spec());
  auto work = Poll({}, 4, "a1");
  Poll({Report(work.assignments[0].attempt.id, AttemptReport::Type::kStarted)}, 4, "a1");
  clock_.Advance(61 * kMicrosPerSecond);
  broker_->Tick();
  running_.clear();
  EXPECT_EQ(Poll({}, 4, "a2").assignments.size(), 1u);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kScheduled);
}

TEST_F(BrokerTest, AReportWhoseCommitFailedIsAppliedWhenSentAgain) {
  int64_t id = Submit(Spec());
  int64_t attempt = Poll().assignments[0].attempt.id;
  store_->fail_ = true;
  PollRequest req = Request(3);
  req.reports = {Report(attempt, AttemptReport::Type::kStarted)};
  req.reports[0].time = 123;
  req.running_attempts = {attempt};
  auto failed = Send(req);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kResourceExhausted);
  store_->fail_ = false;
  ASSERT_TRUE(Send(req));  // the agent kept its report and sends it again
  auto detail = broker_->Describe(alice_, TaskRef{id, {}}).value()[0];
  EXPECT_EQ(detail.summary.task.state, TaskState::kRunning);
  EXPECT_EQ(detail.summary.task.start_time, 123);
  EXPECT_EQ(detail.attempts[0].start_time, 123);
}

TEST_F(BrokerTest, BeginTimeHoldsUntilTheClockPassesIt) {
  model::JobSpec s = Spec();
  s.begin_time = clock_.Now() + 60 * kMicrosPerSecond;
  int64_t id = Submit(s);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kWaiting);
  clock_.Advance(61 * kMicrosPerSecond);
  broker_->Tick();
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
}

}  // namespace
}  // namespace gantry::broker
