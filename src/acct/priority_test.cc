#include "acct/priority.h"

#include <gtest/gtest.h>

namespace gantry::acct {
namespace {

constexpr TimeMicros kNow = 1'800'000'000LL * kMicrosPerSecond;
constexpr TimeMicros kDay = 86400 * kMicrosPerSecond;

model::UsageRecord Used(std::string_view vo, std::string_view group, double core_hours,
                        TimeMicros end) {
  model::UsageRecord r;
  r.vo = vo;
  r.group = group;
  r.cores = 1;
  r.elapsed_seconds = core_hours * 3600;
  r.end_time = end;
  r.start_time = end - static_cast<TimeMicros>(r.elapsed_seconds) * kMicrosPerSecond;
  return r;
}

SchedulingPolicy Policy(std::string text) {
  auto p = SchedulingPolicy::Parse(text, "test");
  EXPECT_TRUE(p) << p.error().message();
  return p.value_or(SchedulingPolicy{});
}

TEST(PriorityTest, UsageDecaysWithTheHalfLife) {
  DecayedUsage u(kNow, 7 * 86400);
  u.Add(Used("cms", "/cms", 8, kNow));             // 8 core-hours now
  u.Add(Used("cms", "/cms", 8, kNow - 7 * kDay));  // 8, a half-life ago: counts 4
  EXPECT_NEAR(u.Vo("cms"), 12 * 3600, 1e-6);
  EXPECT_NEAR(u.total(), 12 * 3600, 1e-6);
}

TEST(PriorityTest, FairShareIsTwoToTheMinusUsageOverShare) {
  SchedulingPolicy p = Policy("share vo cms 60\nshare vo atlas 40\n");
  DecayedUsage u(kNow, 7 * 86400);
  EXPECT_DOUBLE_EQ(FairShareFactor(p, u, "cms", "/cms"), 1.0);  // nobody used anything
  u.Add(Used("cms", "/cms", 60, kNow));
  u.Add(Used("atlas", "/atlas", 40, kNow));
  // Each used exactly its share: 2^-1.
  EXPECT_NEAR(FairShareFactor(p, u, "cms", "/cms"), 0.5, 1e-12);
  EXPECT_NEAR(FairShareFactor(p, u, "atlas", "/atlas"), 0.5, 1e-12);
  u.Add(Used("cms", "/cms", 100, kNow));  // cms over its share now
  EXPECT_LT(FairShareFactor(p, u, "cms", "/cms"), FairShareFactor(p, u, "atlas", "/atlas"));
}

TEST(PriorityTest, GroupSharesSplitTheirVosShare) {
  SchedulingPolicy p =
      Policy("share vo cms 1\nshare group /cms/prod 3\nshare group /cms/user 1\n");
  DecayedUsage u(kNow, 7 * 86400);
  u.Add(Used("cms", "/cms/prod", 75, kNow));
  u.Add(Used("cms", "/cms/user", 25, kNow));
  // prod: share 3/4 of the VO's 1, used 0.75: 2^-1; user likewise.
  EXPECT_NEAR(FairShareFactor(p, u, "cms", "/cms/prod"), 0.5, 1e-12);
  EXPECT_NEAR(FairShareFactor(p, u, "cms", "/cms/user"), 0.5, 1e-12);
}

TEST(PriorityTest, FactorsAreWeightedAndNiceSubtracts) {
  SchedulingPolicy p = Policy(
      "weight age 1000\nweight fairshare 2000\nweight jobsize 100\nweight qos 500\n"
      "max-age 10d\nqos high 10\nqos normal 0\n");
  DecayedUsage u(kNow, 7 * 86400);
  PendingJob job{"cms", "/cms", "high", 4, 50, kNow - 5 * kDay};
  Priority pr = ComputePriority(p, u, job, kNow, 16);
  EXPECT_DOUBLE_EQ(pr.age, 500);        // half of max-age
  EXPECT_DOUBLE_EQ(pr.fairshare, 2000);  // no usage at all
  EXPECT_DOUBLE_EQ(pr.jobsize, 25);      // 4 of 16 cores
  EXPECT_DOUBLE_EQ(pr.qos, 500);
  EXPECT_EQ(pr.value, 500 + 2000 + 25 + 500 - 50);
  job.eligible_time = kNow - 30 * kDay;  // age caps at 1
  EXPECT_DOUBLE_EQ(ComputePriority(p, u, job, kNow, 16).age, 1000);
}

TEST(SchedulingPolicyTest, ErrorsNameTheLine) {
  auto p = SchedulingPolicy::Parse("weight age 10\n# fine\nwieght qos 3\n", "sched");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("sched:3: unknown directive 'wieght'"), std::string::npos)
      << p.error().message();
  p = SchedulingPolicy::Parse("half-life 7x\n", "sched");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("sched:1"), std::string::npos);
  p = SchedulingPolicy::Parse("limit vo cms core-hours 100\n", "sched");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("needs a period"), std::string::npos);
  p = SchedulingPolicy::Parse("share vo cms -1\n", "sched");
  ASSERT_FALSE(p);
}

TEST(SchedulingPolicyTest, ParsesEveryDirective) {
  SchedulingPolicy p = Policy(
      "weight fairshare 5  # comment\nhalf-life 2d\nmax-age 1w\nshare vo cms 60\n"
      "share group /cms/prod 2\nqos high 100\nlimit user alice running-cores 64\n"
      "limit vo cms core-hours 1000 month\n");
  EXPECT_EQ(p.weight_fairshare, 5);
  EXPECT_EQ(p.half_life_seconds, 2 * 86400);
  EXPECT_EQ(p.max_age_seconds, 7 * 86400);
  EXPECT_EQ(p.VoShare("cms"), 60);
  EXPECT_EQ(p.VoShare("other"), 1);
  EXPECT_EQ(p.group_shares.at("/cms/prod"), 2);
  EXPECT_EQ(p.QosPriority("high"), 100);
  ASSERT_EQ(p.limits.size(), 2u);
  EXPECT_EQ(p.limits[0].kind, Limit::Kind::kRunningCores);
  EXPECT_EQ(p.limits[0].line, 7);
  EXPECT_EQ(p.limits[1].period_seconds, 30 * 86400);
}

}  // namespace
}  // namespace gantry::acct
