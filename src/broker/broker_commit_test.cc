// Group commit: decisions in memory, durability outside the lock, the durable view.
#include <thread>

#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

using Type = AttemptReport::Type;

int64_t Rows(Broker& broker, const model::Identity& who) {
  return static_cast<int64_t>(broker.Queue(who, {}).value().rows.size());
}

TEST_F(BrokerTest, AQueueQueryAnswersWhileACommitIsOnTheDiskAndShowsOnlyWhatIsDurable) {
  int64_t first = Submit(Spec());
  store_->Block();
  Result<SubmitResult> second = Fail(Internal("not answered"));
  std::thread submitter([&] { second = broker_->Submit(alice_, Spec()); });
  store_->AwaitWriting();
  // The commit waits on the disk; the queue and a job's status answer all the same, and the
  // job being committed is not shown: it is not durable yet.
  EXPECT_EQ(Rows(*broker_, alice_), 1);
  EXPECT_EQ(State(std::to_string(first)), TaskState::kReady);
  EXPECT_FALSE(broker_->Describe(alice_, TaskRef{first + 1, {}}));
  store_->Unblock();
  submitter.join();
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->job_id, first + 1);
  EXPECT_EQ(Rows(*broker_, alice_), 2);
}

TEST_F(BrokerTest, APollAnswerWaitsForItsCommitWhileQueriesShowTheDurableState) {
  int64_t id = Submit(Spec());
  Poll({}, 0);  // the agent is known (no room: nothing for it yet)
  store_->Block();
  Result<PollResponse> work = Fail(Internal("not answered"));
  std::thread poller([&] { work = Send(Request(4)); });
  store_->AwaitWriting();
  // Decided: sent to the agent. Durable: still READY, and that is what a query says.
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  store_->Unblock();
  poller.join();
  ASSERT_TRUE(work) << work.error().message();
  ASSERT_EQ(work->assignments.size(), 1u);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kScheduled);
}

TEST_F(BrokerTest, TransactionsOfConcurrentCallersShareOneCommit) {
  store_->Block();
  std::vector<std::thread> submitters;
  std::vector<Result<SubmitResult>> results(5, Fail(Internal("not answered")));
  submitters.emplace_back([&] { results[0] = broker_->Submit(alice_, Spec()); });
  store_->AwaitWriting();
  int64_t before = store_->Commits();
  for (size_t i = 1; i < results.size(); ++i) {
    submitters.emplace_back([&, i] { results[i] = broker_->Submit(alice_, Spec()); });
  }
  while (broker_->UndurableForTest() < 5) std::this_thread::yield();
  store_->Unblock();
  for (auto& t : submitters) t.join();
  for (const auto& r : results) ASSERT_TRUE(r) << r.error().message();
  // The four that queued behind the first are written together.
  EXPECT_EQ(store_->Commits(), before + 1);
  EXPECT_EQ(Rows(*broker_, alice_), 5);
}

TEST_F(BrokerTest, AFailedCommitFailsWhatWasDecidedOnItAndMemoryClaimsNeither) {
  int64_t id = Submit(Spec());
  store_->Block();
  store_->fail_ = true;
  Result<PollResponse> work = Fail(Internal("not answered"));
  Result<int64_t> cancelled = 0;
  Poll({}, 0);  // known, no room: nothing to commit
  std::thread poller([&] { work = Send(Request(4)); });
  store_->AwaitWriting();
  // Decided on top of the failing assignment: cancel the task it sent.
  std::thread canceller([&] { cancelled = broker_->Cancel(alice_, TaskRef{id, {}}); });
  while (broker_->UndurableForTest() < 2) std::this_thread::yield();
  store_->Unblock();
  poller.join();
  canceller.join();
  EXPECT_FALSE(work);
  EXPECT_FALSE(cancelled);
  store_->fail_ = false;
  // Memory is what the store holds: READY, never sent, never cancelled.
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  auto again = Poll();
  ASSERT_EQ(again.assignments.size(), 1u);
  EXPECT_EQ(again.assignments[0].attempt.number, 1);
  Poll({Report(again.assignments[0].attempt.id, Type::kFinished, 0)});
  EXPECT_EQ(State(std::to_string(id)), TaskState::kDone);
}

TEST_F(BrokerTest, ADependantIsReleasedInTheTransactionOfItsParentsEnd) {
  int64_t parent = Submit(Spec());
  model::JobSpec child = Spec("child");
  child.dependencies.push_back({model::DependencyType::kAfterOk, {std::to_string(parent)}});
  int64_t id = Submit(child);
  auto work = Poll({}, 1);
  ASSERT_EQ(work.assignments.size(), 1u);
  int64_t before = store_->Commits();
  // The end, the child's release and the child's dispatch: one commit.
  auto next = Poll({Report(work.assignments[0].attempt.id, Type::kFinished, 0)}, 1);
  ASSERT_EQ(next.assignments.size(), 1u);
  EXPECT_EQ(next.assignments[0].task.id, id);
  EXPECT_EQ(store_->Commits(), before + 1);
}

}  // namespace
}  // namespace gantry::broker
