// The sandboxes' broker calls: which attempt an agent may return files for (answered from
// durable state only), and the journal notes of what came back.
#include <thread>

#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

using Type = AttemptReport::Type;

TEST_F(BrokerTest, AnAgentMayReturnFilesOnlyForItsOwnUnfinishedAttempt) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  ASSERT_EQ(work.assignments.size(), 1u);
  int64_t attempt = work.assignments[0].attempt.id;
  auto found = broker_->SandboxAttemptOf("a1", attempt);
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(found->task.id, id);
  EXPECT_EQ(found->job->id, id);
  EXPECT_EQ(broker_->SandboxAttemptOf("a2", attempt).error().code(), ErrorCode::kNotFound);
  Poll({Report(attempt, Type::kFinished)});
  EXPECT_EQ(broker_->SandboxAttemptOf("a1", attempt).error().code(), ErrorCode::kNotFound);
}

TEST_F(BrokerTest, TheNotesOfASandboxReportAreOneTransactionAndChangeNoState) {
  int64_t id = Submit(Spec());
  auto work = Poll();
  int64_t attempt = work.assignments[0].attempt.id;
  Poll({Report(attempt, Type::kStarted)});
  int64_t before = store_->Commits();
  ASSERT_TRUE(broker_->NoteAttempt(attempt,
                                   {{"output-returned", "returned: out.txt"},
                                    {"output-missing", "output file big.dat was not returned"}},
                                   model::Actor::System("agent:a1")));
  EXPECT_EQ(store_->Commits(), before + 1);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kRunning);
  auto journal = broker_->Events(alice_, TaskRef{id, {}}).value();
  ASSERT_GE(journal.size(), 2u);
  EXPECT_EQ(journal[journal.size() - 2].event.type, "output-returned");
  EXPECT_EQ(journal.back().event.type, "output-missing");
}

// The end of the attempt is decided but its commit fails: the answer is what the store
// holds (still running), never the decision nobody else may see.
TEST_F(BrokerTest, AnAttemptWhoseEndFailsToCommitIsStillFoundForItsFiles) {
  Submit(Spec());
  auto work = Poll();
  int64_t attempt = work.assignments[0].attempt.id;
  Poll({Report(attempt, Type::kStarted)});
  store_->Block();
  store_->fail_ = true;
  PollRequest end = Request();
  end.reports = {Report(attempt, Type::kFinished)};
  Result<PollResponse> ended = Fail(Internal("not answered"));
  std::thread agent([&] { ended = Send(end); });
  store_->AwaitWriting();  // the end is decided, its commit on the disk
  Result<SandboxAttempt> found = Fail(Internal("not answered"));
  std::thread returner([&] { found = broker_->SandboxAttemptOf("a1", attempt); });
  store_->Unblock();
  agent.join();
  returner.join();
  store_->fail_ = false;
  EXPECT_FALSE(ended);
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(found->attempt.id, attempt);
}

}  // namespace
}  // namespace gantry::broker
