#include "pilots/factory.h"

#include <gtest/gtest.h>

namespace gantry::pilots {
namespace {

constexpr TimeMicros kSecond = kMicrosPerSecond;

class FactoryTest : public ::testing::Test {
 protected:
  FactoryConfig Config() {
    FactoryConfig c;
    c.max_pilots = 3;
    c.cores = 2;
    c.time_seconds = 600;
    c.backoff_base_seconds = 10;
    c.backoff_max_seconds = 80;
    return c;
  }
  SlurmJobInfo Job(const std::string& id, SlurmPhase phase, std::string state) {
    return {id, phase, std::move(state), "None"};
  }
  // Submits what the plan asks for, with SLURM ids 1, 2, ...
  std::vector<std::string> Carry(PilotFactory& f, const Plan& plan) {
    std::vector<std::string> ids;
    for (int64_t i = 0; i < plan.submit; ++i) {
      ids.push_back(std::to_string(++next_id_));
      f.Submitted(ids.back(), "jti-" + ids.back());
    }
    return ids;
  }
  FakeClock clock_;
  int next_id_ = 0;
};

TEST_F(FactoryTest, NoWaitingWorkSubmitsNothing) {
  PilotFactory f(Config(), clock_);
  Plan plan = f.Decide({0, 0});
  EXPECT_EQ(plan.submit, 0);
  EXPECT_TRUE(plan.cancel.empty());
}

TEST_F(FactoryTest, SubmitsEnoughPilotsForTheWaitingCoresUpToTheMaximum) {
  PilotFactory f(Config(), clock_);
  EXPECT_EQ(f.Decide({1, 1}).submit, 1);        // one core: one pilot of two cores
  PilotFactory g(Config(), clock_);
  EXPECT_EQ(g.Decide({3, 3}).submit, 2);
  PilotFactory h(Config(), clock_);
  EXPECT_EQ(h.Decide({1000, 1000}).submit, 3);  // --pilot-max
}

TEST_F(FactoryTest, PilotsOnTheirWayCountAsCapacity) {
  PilotFactory f(Config(), clock_);
  Carry(f, f.Decide({2, 2}));
  EXPECT_EQ(f.Pilots().size(), 1u);
  // The same two cores wait: the pilot submitted covers them.
  EXPECT_EQ(f.Decide({2, 2}).submit, 0);
  // Two more cores: one more pilot.
  EXPECT_EQ(f.Decide({4, 4}).submit, 1);
}

TEST_F(FactoryTest, FreeCoresOfLivePilotsCountAsCapacity) {
  PilotFactory f(Config(), clock_);
  auto ids = Carry(f, f.Decide({2, 2}));
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kRunning, "RUNNING")}});
  f.ObserveAgents({{"pilot-" + ids[0], {true, 2, 0}}});
  EXPECT_EQ(f.Decide({2, 2}).submit, 0);  // it is about to take them
  f.ObserveAgents({{"pilot-" + ids[0], {true, 0, 2}}});
  EXPECT_EQ(f.Decide({2, 2}).submit, 1);  // busy: the waiting work needs another
}

TEST_F(FactoryTest, NeverMoreThanTheMaximumAlive) {
  PilotFactory f(Config(), clock_);
  Carry(f, f.Decide({100, 100}));
  EXPECT_EQ(f.Pilots().size(), 3u);
  for (const std::string& id : f.QueryIds()) {
    f.ObserveSlurm({{id, Job(id, SlurmPhase::kRunning, "RUNNING")}});
  }
  std::map<std::string, PilotAgent> agents;
  for (const Pilot& p : f.Pilots()) agents[p.name] = {true, 0, 2};
  f.ObserveAgents(agents);
  EXPECT_EQ(f.Decide({100, 100}).submit, 0);
}

TEST_F(FactoryTest, QueuedPilotsAreCancelledWhenTheQueueEmpties) {
  PilotFactory f(Config(), clock_);
  auto ids = Carry(f, f.Decide({2, 2}));
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kQueued, "PENDING")}});
  Plan plan = f.Decide({0, 0});
  ASSERT_EQ(plan.cancel.size(), 1u);
  EXPECT_EQ(plan.cancel[0], ids[0]);
  EXPECT_TRUE(f.Decide({0, 0}).cancel.empty());  // once
  // It ends CANCELLED: forgotten, and not a failure (the factory cancelled it).
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kEnded, "CANCELLED")}});
  plan = f.Decide({0, 0});
  ASSERT_EQ(plan.forget.size(), 1u);
  EXPECT_EQ(plan.forget[0].token_id, "jti-" + ids[0]);
  EXPECT_EQ(f.status().failures, 0);
  EXPECT_TRUE(f.Pilots().empty());
}

TEST_F(FactoryTest, RunningPilotsAreLeftToLeaveOnTheirOwn) {
  PilotFactory f(Config(), clock_);
  auto ids = Carry(f, f.Decide({2, 2}));
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kRunning, "RUNNING")}});
  f.ObserveAgents({{"pilot-" + ids[0], {true, 2, 0}}});
  EXPECT_TRUE(f.Decide({0, 0}).cancel.empty());  // its idle timeout ends it
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kEnded, "COMPLETED")}});
  Plan plan = f.Decide({0, 0});
  EXPECT_EQ(plan.forget.size(), 1u);
  EXPECT_EQ(f.status().failures, 0);
}

TEST_F(FactoryTest, PilotsThatEndWithoutConnectingBackTheClusterOffExponentially) {
  PilotFactory f(Config(), clock_);
  std::vector<int64_t> waits;
  for (int round = 0; round < 5; ++round) {
    auto ids = Carry(f, f.Decide({1, 1}));
    ASSERT_EQ(ids.size(), 1u) << "round " << round;
    f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kEnded, "FAILED")}});
    Plan plan = f.Decide({1, 1});
    EXPECT_EQ(plan.forget.size(), 1u);
    EXPECT_EQ(plan.submit, 0);  // backing off
    EXPECT_NE(f.status().last_error.find("FAILED"), std::string::npos);
    waits.push_back((f.status().backoff_until - clock_.Now()) / kSecond);
    clock_.Advance(waits.back() * kSecond - 1);
    EXPECT_EQ(f.Decide({1, 1}).submit, 0) << "still backing off";
    clock_.Advance(1);
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{10, 20, 40, 80, 80}));
  EXPECT_EQ(f.status().failures, 5);
  EXPECT_EQ(f.status().failed_total, 5);
}

TEST_F(FactoryTest, APilotThatConnectsEndsTheBackoff) {
  PilotFactory f(Config(), clock_);
  f.SubmitFailed("sbatch: error: invalid partition specified: nope");
  EXPECT_EQ(f.Decide({1, 1}).submit, 0);
  clock_.Advance(10 * kSecond);
  auto ids = Carry(f, f.Decide({1, 1}));
  ASSERT_EQ(ids.size(), 1u);
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kRunning, "RUNNING")}});
  f.ObserveAgents({{"pilot-" + ids[0], {true, 0, 1}}});
  EXPECT_EQ(f.status().failures, 0);
  EXPECT_EQ(f.status().backoff_until, 0);
  EXPECT_EQ(f.Decide({4, 4}).submit, 2);
}

TEST_F(FactoryTest, AnUnreachableControllerBacksOffToo) {
  PilotFactory f(Config(), clock_);
  f.SlurmUnreachable("squeue did not finish within 30000 ms");
  EXPECT_EQ(f.Decide({1, 1}).submit, 0);
  EXPECT_EQ(f.status().last_error, "squeue did not finish within 30000 ms");
}

TEST_F(FactoryTest, APilotRunningButSilentIsCancelledAsAFailure) {
  PilotFactory f(Config(), clock_);
  auto ids = Carry(f, f.Decide({1, 1}));
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kRunning, "RUNNING")}});
  clock_.Advance(Config().connect_timeout_seconds * kSecond);
  EXPECT_TRUE(f.Decide({1, 1}).cancel.empty());
  clock_.Advance(kSecond + 1);
  Plan plan = f.Decide({1, 1});
  ASSERT_EQ(plan.cancel.size(), 1u);
  EXPECT_EQ(f.status().failures, 1);
  EXPECT_EQ(plan.submit, 0);
  // Its CANCELLED end is not counted twice.
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kEnded, "CANCELLED")}});
  f.Decide({1, 1});
  EXPECT_EQ(f.status().failures, 1);
}

TEST_F(FactoryTest, APilotSlurmForgetsEndsAfterTheGrace) {
  PilotFactory f(Config(), clock_);
  auto ids = Carry(f, f.Decide({1, 1}));
  f.ObserveSlurm({});
  EXPECT_EQ(f.Pilots()[0].phase, SlurmPhase::kQueued);  // just submitted
  clock_.Advance((Config().unknown_grace_seconds + 1) * kSecond);
  f.ObserveSlurm({});
  EXPECT_EQ(f.Pilots()[0].phase, SlurmPhase::kEnded);
  EXPECT_EQ(f.Pilots()[0].slurm_state, "UNKNOWN");
  EXPECT_TRUE(f.QueryIds().empty());
}

TEST_F(FactoryTest, PilotsQueuedTooLongAreCancelledWithoutBlame) {
  PilotFactory f(Config(), clock_);
  auto ids = Carry(f, f.Decide({1, 1}));
  f.ObserveSlurm({{ids[0], Job(ids[0], SlurmPhase::kQueued, "PENDING")}});
  clock_.Advance((Config().queue_timeout_seconds + 1) * kSecond);
  Plan plan = f.Decide({1, 1});
  ASSERT_EQ(plan.cancel.size(), 1u);
  EXPECT_EQ(f.status().failures, 0);
  // A cancelled pilot is no longer capacity: another one replaces it.
  EXPECT_EQ(plan.submit, 1);
}

TEST_F(FactoryTest, JobsFitWhenTheirTimeLimitEndsBeforeThePilotLeaves) {
  FactoryConfig c = Config();
  c.time_seconds = 600;  // margin 60 s, lifetime 540 s, kill grace 5 s
  PilotFactory f(c, clock_);
  EXPECT_EQ(f.LifetimeSeconds(), 540);
  EXPECT_EQ(f.LongestJobSeconds(), 535);
  EXPECT_TRUE(f.Fits(1, 0));  // no limit: taken (docs/pilots.md says at what risk)
  EXPECT_TRUE(f.Fits(2, 535));
  EXPECT_FALSE(f.Fits(2, 536));
  EXPECT_FALSE(f.Fits(3, 60));  // more cores than a pilot has
  EXPECT_EQ(PilotFactory::MarginSeconds(60), 15);
  EXPECT_EQ(PilotFactory::MarginSeconds(86400), 300);
}

}  // namespace
}  // namespace gantry::pilots
