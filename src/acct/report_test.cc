#include "acct/report.h"

#include <gtest/gtest.h>

namespace gantry::acct {
namespace {

constexpr TimeMicros kHour = 3600 * kMicrosPerSecond;
constexpr TimeMicros kNov1 = 1793491200LL * kMicrosPerSecond;  // 2026-11-01T00:00:00Z (a Sunday)

model::UsageRecord Record(std::string_view user, std::string_view vo, TimeMicros start,
                          TimeMicros end, int64_t cores) {
  model::UsageRecord r;
  r.user = user;
  r.vo = vo;
  r.group = vo == "cms" ? "/cms" : "/atlas";
  r.account = vo;
  r.start_time = start;
  r.end_time = end;
  r.cores = cores;
  r.elapsed_seconds = static_cast<double>(end - start) / kMicrosPerSecond;
  r.user_cpu_seconds = r.elapsed_seconds * static_cast<double>(cores) / 2;  // 50% efficient
  return r;
}

TEST(ReportTest, PeriodsStartAtLocalMidnightMondayAndTheFirst) {
  TimeMicros t = kNov1 + 3 * 86400 * kMicrosPerSecond + 5 * kHour;  // Wed 4 Nov 05:00Z
  EXPECT_EQ(PeriodStart(t, Period::kDay, 0), kNov1 + 3 * 86400 * kMicrosPerSecond);
  EXPECT_EQ(PeriodStart(t, Period::kWeek, 0), kNov1 + 86400 * kMicrosPerSecond);  // Mon 2 Nov
  EXPECT_EQ(PeriodStart(t, Period::kMonth, 0), kNov1);
  // At UTC-6 it is 23:00 on the 3rd: that local day began at 06:00Z on the 3rd.
  EXPECT_EQ(PeriodStart(t, Period::kDay, -6 * 3600),
            kNov1 + 2 * 86400 * kMicrosPerSecond + 6 * kHour);
}

TEST(ReportTest, UtilizationSplitsAJobAcrossTheDaysItRan) {
  ReportRequest q;
  q.kind = ReportKind::kUtilization;
  q.start = kNov1;
  q.end = kNov1 + 3 * 86400 * kMicrosPerSecond;
  q.json = true;
  Reporter rep(q);
  // 4 cores from 22:00 on the 1st to 02:00 on the 2nd: 8 core-hours each day.
  rep.Add(Record("alice", "cms", kNov1 + 22 * kHour, kNov1 + 26 * kHour, 4));
  EXPECT_EQ(
      rep.Finish(),
      "{\"rows\":[{\"Day\":\"2026-11-01\",\"jobs\":0,\"core_hours\":8.000,\"gpu_hours\":0.000,"
      "\"cpu_hours\":4.000},{\"Day\":\"2026-11-02\",\"jobs\":1,\"core_hours\":8.000,"
      "\"gpu_hours\":0.000,\"cpu_hours\":4.000}],\"total_core_hours\":16.000}\n");
}

TEST(ReportTest, UsageOutsideTheWindowIsClippedOff) {
  ReportRequest q;
  q.kind = ReportKind::kVos;
  q.start = kNov1;
  q.end = kNov1 + 10 * kHour;
  q.json = true;
  Reporter rep(q);
  rep.Add(Record("alice", "cms", kNov1 - 2 * kHour, kNov1 + 2 * kHour, 1));  // 2 h inside
  rep.Add(Record("bob", "atlas", kNov1 + 1 * kHour, kNov1 + 7 * kHour, 2));  // 12 core-h
  std::string out = rep.Finish();
  EXPECT_NE(out.find("{\"VO\":\"atlas\",\"jobs\":1,\"core_hours\":12.000"), std::string::npos)
      << out;
  EXPECT_NE(out.find("{\"VO\":\"cms\",\"jobs\":1,\"core_hours\":2.000"), std::string::npos);
  EXPECT_LT(out.find("atlas"), out.find("cms"));  // largest first
  EXPECT_NE(out.find("\"total_core_hours\":14.000"), std::string::npos);
}

TEST(ReportTest, TopUsersAreRankedAndLimited) {
  ReportRequest q;
  q.kind = ReportKind::kTopUsers;
  q.limit = 2;
  Reporter rep(q);
  rep.Add(Record("alice", "cms", kNov1, kNov1 + kHour, 1));
  rep.Add(Record("bob", "cms", kNov1, kNov1 + kHour, 8));
  rep.Add(Record("carol", "cms", kNov1, kNov1 + kHour, 4));
  rep.Add(Record("alice", "cms", kNov1, kNov1 + kHour, 1));
  std::string out = rep.Finish();
  EXPECT_LT(out.find("bob"), out.find("carol"));
  EXPECT_EQ(out.find("alice"), std::string::npos) << out;
  EXPECT_NE(out.find("User"), std::string::npos);
  EXPECT_NE(out.find("57.1%"), std::string::npos) << out;  // bob: 8 of 14 core-hours
}

TEST(ReportTest, ApelSumsAMonthPerVoGroupAndSize) {
  ReportRequest q;
  q.kind = ReportKind::kApel;
  q.start = kNov1;
  q.end = kNov1 + 30 * 86400 * kMicrosPerSecond - 1;
  q.site = "GANTRY-TEST";
  Reporter rep(q);
  rep.Add(Record("alice", "cms", kNov1, kNov1 + kHour, 4));
  rep.Add(Record("bob", "cms", kNov1 + kHour, kNov1 + 3 * kHour, 4));
  rep.Add(Record("carol", "atlas", kNov1, kNov1 + kHour, 1));
  rep.Add(Record("dave", "cms", kNov1 - 2 * kHour, kNov1 - kHour, 4));  // ended in October
  EXPECT_EQ(rep.Finish(),
            "APEL-summary-job-message: v0.3\n"
            "Site: GANTRY-TEST\nMonth: 11\nYear: 2026\nVO: atlas\nVOGroup: /atlas\n"
            "VORole: Role=NULL\nInfrastructure: Gantry\nEarliestEndTime: 1793494800\n"
            "LatestEndTime: 1793494800\nProcessors: 1\nNodeCount: 1\nWallDuration: 3600\n"
            "CpuDuration: 1800\nNormalisedWallDuration: 3600\nNormalisedCpuDuration: 1800\n"
            "NumberOfJobs: 1\n%%\n"
            "Site: GANTRY-TEST\nMonth: 11\nYear: 2026\nVO: cms\nVOGroup: /cms\n"
            "VORole: Role=NULL\nInfrastructure: Gantry\nEarliestEndTime: 1793494800\n"
            "LatestEndTime: 1793502000\nProcessors: 4\nNodeCount: 1\nWallDuration: 10800\n"
            "CpuDuration: 21600\nNormalisedWallDuration: 10800\nNormalisedCpuDuration: 21600\n"
            "NumberOfJobs: 2\n%%\n");
}

TEST(ReportTest, BadQueriesAreRefused) {
  EXPECT_FALSE(ReportFromQuery({{"kind", "pie"}}));
  EXPECT_FALSE(ReportFromQuery({{"per", "year"}}));
  EXPECT_FALSE(ReportFromQuery({{"limit", "0"}}));
  EXPECT_FALSE(ReportFromQuery({{"start", "10"}, {"end", "5"}}));
  auto r = ReportFromQuery(
      ReportToQuery(ReportRequest{ReportKind::kApel, 1, 2, Period::kWeek, 5, "X", true, 60}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ReportKind::kApel);
  EXPECT_EQ(r->period, Period::kWeek);
  EXPECT_EQ(r->site, "X");
  EXPECT_TRUE(r->json);
}

}  // namespace
}  // namespace gantry::acct
