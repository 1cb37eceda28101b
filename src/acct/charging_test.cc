// Charging through the real broker and store: a retried attempt and an agent that is lost
// and comes back are each charged once (issue 16 section 1: nothing is double-counted).
#include <gtest/gtest.h>

#include "broker/broker_test_fixture.h"
#include "store/usage_reader.h"

namespace gantry::broker {
namespace {

struct Charge {
  int64_t attempt;
  std::string state;
  double elapsed;
  int64_t cores;
};

class ChargingTest : public BrokerTest {
 protected:
  std::vector<Charge> Charges() {
    auto reader = store::UsageReader::Open(dir_ + "/db").value();
    model::UsageFilter all;
    all.all_visible = true;
    std::vector<Charge> out;
    EXPECT_TRUE(reader->Scan(all, [&](const model::UsageRecord& r) {
      out.push_back({r.attempt, std::string(r.state), r.elapsed_seconds, r.cores});
      return true;
    }));
    return out;
  }
  AttemptReport Finished(int64_t attempt, int exit_code, double seconds) {
    AttemptReport r = Report(attempt, AttemptReport::Type::kFinished, exit_code);
    r.usage = {seconds / 2, 0.1, seconds, 4096};
    return r;
  }
};

TEST_F(ChargingTest, ARetriedJobIsChargedOncePerAttempt) {
  model::JobSpec s = Spec();
  s.max_retries = 1;
  s.cpus_per_task = 2;
  int64_t id = Submit(s);
  int64_t first = Poll().assignments.at(0).attempt.id;
  Poll({Report(first, AttemptReport::Type::kStarted)});
  clock_.Advance(10 * kMicrosPerSecond);
  auto after = Poll({Finished(first, 1, 10)});  // retried: maybe sent out again at once
  if (after.assignments.empty()) after = Poll();
  ASSERT_EQ(after.assignments.size(), 1u);
  int64_t second = after.assignments[0].attempt.id;
  Poll({Report(second, AttemptReport::Type::kStarted)});
  clock_.Advance(20 * kMicrosPerSecond);
  Poll({Finished(second, 0, 20)});
  EXPECT_EQ(State(std::to_string(id)), TaskState::kDone);
  auto charges = Charges();
  ASSERT_EQ(charges.size(), 2u);
  EXPECT_EQ(charges[0].attempt, 1);
  EXPECT_EQ(charges[0].state, "FAILED");
  EXPECT_DOUBLE_EQ(charges[0].elapsed, 10);
  EXPECT_EQ(charges[1].attempt, 2);
  EXPECT_EQ(charges[1].state, "COMPLETED");
  EXPECT_DOUBLE_EQ(charges[1].elapsed, 20);
  EXPECT_EQ(charges[1].cores, 2);
}

TEST_F(ChargingTest, AnAgentLostAndBackIsChargedOnceForTheLostAttempt) {
  int64_t id = Submit(Spec());
  int64_t first = Poll().assignments.at(0).attempt.id;
  Poll({Report(first, AttemptReport::Type::kStarted)});
  clock_.Advance(61 * kMicrosPerSecond);  // silent past the agent timeout: lost
  broker_->Tick();
  ASSERT_EQ(Charges().size(), 1u);
  // It comes back still running the old attempt, is told to kill it, and reports it ended
  // (with its own, longer, usage): that late report changes nothing, charges included.
  auto back = Poll({}, 0);
  EXPECT_EQ(back.kill_attempts, std::vector<int64_t>{first});
  clock_.Advance(5 * kMicrosPerSecond);
  Poll({Finished(first, 0, 66)}, 0);
  Poll({Finished(first, 0, 66)}, 0);  // and again (a repeated report)
  auto charges = Charges();
  ASSERT_EQ(charges.size(), 1u);
  EXPECT_EQ(charges[0].state, "NODE_FAIL");
  EXPECT_DOUBLE_EQ(charges[0].elapsed, 61);
  // The requeued job runs again: its own, second record.
  int64_t second = Poll().assignments.at(0).attempt.id;
  EXPECT_NE(second, first);
  Poll({Report(second, AttemptReport::Type::kStarted)});
  clock_.Advance(3 * kMicrosPerSecond);
  Poll({Finished(second, 0, 3)});
  EXPECT_EQ(State(std::to_string(id)), TaskState::kDone);
  charges = Charges();
  ASSERT_EQ(charges.size(), 2u);
  EXPECT_EQ(charges[1].state, "COMPLETED");
  EXPECT_DOUBLE_EQ(charges[0].elapsed + charges[1].elapsed, 64);
}

TEST_F(ChargingTest, AnAttemptTakenBackUnstartedIsNotCharged) {
  int64_t id = Submit(Spec());
  int64_t first = Poll().assignments.at(0).attempt.id;
  running_.clear();  // the agent restarted before starting it: lost unstarted, requeued
  Poll({}, 0);
  EXPECT_EQ(State(std::to_string(id)), TaskState::kReady);
  EXPECT_TRUE(Charges().empty());
  (void)first;
}

}  // namespace
}  // namespace gantry::broker
