#include "transfer/optimizer.h"

#include <gtest/gtest.h>

#include <vector>

namespace gantry::transfer {
namespace {

constexpr TimeMicros kS = kMicrosPerSecond;

// n transfers of `bytes` each, ending at `end`, each taking `seconds`; `failed` of them fail.
std::vector<LinkSample> Samples(int n, int failed, int64_t bytes, TimeMicros end, int seconds) {
  std::vector<LinkSample> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({end - seconds * kS, end, bytes, i >= failed});
  }
  return out;
}

class OptimizerTest : public ::testing::Test {
 protected:
  Optimizer optimizer_;
  LinkState state_;
  TimeMicros now_ = 1000 * kS;

  Decision Step(const std::vector<LinkSample>& samples, int queued, int active) {
    now_ += 10 * kS;
    return optimizer_.Evaluate(state_, samples, queued, active, now_);
  }
};

TEST_F(OptimizerTest, ANewLinkStartsAtTheStartingLimit) {
  Decision d = Step({}, 10, 0);
  EXPECT_EQ(d.limit, 2);
  EXPECT_TRUE(d.changed);
  EXPECT_NE(d.reason.find("new link"), std::string::npos);
}

TEST_F(OptimizerTest, AFullHealthyLinkGrowsAndAFailingOneShrinks) {
  Step({}, 10, 0);
  Decision d = Step(Samples(10, 0, 100'000'000, now_ + 10 * kS, 5), 20, 2);
  EXPECT_EQ(d.limit, 3);
  EXPECT_NE(d.reason.find("more"), std::string::npos) << d.reason;
  d = Step(Samples(10, 0, 100'000'000, now_ + 10 * kS, 5), 20, 3);
  EXPECT_EQ(d.limit, 4);
  // 2 of 10 fail: below 90% success.
  d = Step(Samples(10, 2, 100'000'000, now_ + 10 * kS, 5), 20, 4);
  EXPECT_EQ(d.limit, 3);
  EXPECT_NE(d.reason.find("fewer"), std::string::npos) << d.reason;
  EXPECT_NEAR(d.success_rate, 0.8, 1e-9);
}

TEST_F(OptimizerTest, BetweenLowAndBadItHoldsUnlessItGotWorse) {
  Step({}, 10, 0);
  Step(Samples(100, 0, 1000, now_ + 10 * kS, 5), 20, 2);  // 3
  Decision d = Step(Samples(100, 5, 1000, now_ + 10 * kS, 5), 20, 3);  // 95%: worse than 100%
  EXPECT_EQ(d.limit, 2);
  d = Step(Samples(100, 5, 1000, now_ + 10 * kS, 5), 20, 3);  // 95% again: hold
  EXPECT_EQ(d.limit, 2);
  EXPECT_NE(d.reason.find("hold"), std::string::npos) << d.reason;
}

TEST_F(OptimizerTest, FallingThroughputBacksOff) {
  Step({}, 10, 0);
  Step(Samples(10, 0, 100'000'000, now_ + 10 * kS, 5), 20, 2);  // 3
  Decision d = Step(Samples(10, 0, 10'000'000, now_ + 10 * kS, 5), 20, 3);
  EXPECT_EQ(d.limit, 2);
  EXPECT_NE(d.reason.find("throughput fell"), std::string::npos) << d.reason;
}

TEST_F(OptimizerTest, AnIdleOrUnderusedLinkHoldsAndLimitsAreBounded) {
  Step({}, 10, 0);
  Decision d = Step({}, 0, 0);
  EXPECT_EQ(d.limit, 2);
  EXPECT_NE(d.reason.find("no transfer ended"), std::string::npos);
  d = Step(Samples(10, 0, 1000, now_ + 10 * kS, 1), 0, 1);  // nothing queued: no growth
  EXPECT_EQ(d.limit, 2);
  for (int i = 0; i < 10; ++i) d = Step(Samples(10, 10, 1000, now_ + 10 * kS, 1), 5, 2);
  EXPECT_EQ(d.limit, 1);  // never below min_active
  EXPECT_NE(d.reason.find("minimum"), std::string::npos) << d.reason;
}

TEST_F(OptimizerTest, DecisionsAreSpacedByTheInterval) {
  Step({}, 10, 0);
  Decision d = optimizer_.Evaluate(state_, Samples(10, 0, 1000, now_, 1), 20, 2, now_ + 1);
  EXPECT_FALSE(d.changed);
  EXPECT_NE(d.reason.find("recently"), std::string::npos);
}

TEST_F(OptimizerTest, SamplesOutsideTheWindowDoNotCount) {
  Step({}, 10, 0);
  Decision d = Step(Samples(10, 10, 1000, now_ - 3600 * kS, 1), 20, 2);
  EXPECT_EQ(d.limit, 2);
  EXPECT_NE(d.reason.find("no transfer ended"), std::string::npos);
}

}  // namespace
}  // namespace gantry::transfer
