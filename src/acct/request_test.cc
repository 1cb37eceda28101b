#include "acct/request.h"

#include <gtest/gtest.h>

#include "acct/states.h"

namespace gantry::acct {
namespace {

constexpr TimeMicros kNow = 1710081000LL * kMicrosPerSecond;  // 2024-03-10T14:30:00Z

TEST(RequestTest, TheWindowDefaultsToTodayUntilNowAndToAllTimeWithJobs) {
  Window w = ResolveWindow("", "", /*have_jobs=*/false, kNow, 0).value();
  EXPECT_EQ(w.start, 1710028800LL * kMicrosPerSecond);  // 2024-03-10T00:00:00Z
  EXPECT_EQ(w.end, kNow);
  w = ResolveWindow("", "", /*have_jobs=*/true, kNow, 0).value();
  EXPECT_EQ(w.start, 0);
}

TEST(RequestTest, AGivenEndIncludesTheWholeSecondItNames) {
  // Records carry microseconds; sacct's -E names a second. An attempt that started 0.3 s
  // into the current second ran "at or before now" (test_acct raced on this).
  Window w = ResolveWindow("today", "now", false, kNow + 300'000, 0).value();
  EXPECT_EQ(w.start, 1710028800LL * kMicrosPerSecond);
  EXPECT_EQ(w.end, kNow + kMicrosPerSecond - 1);
  EXPECT_GE(w.end, kNow + 300'000);
  w = ResolveWindow("2024-03-01", "2024-03-01T12:00:00", false, kNow, 0).value();
  EXPECT_EQ(w.end, (1709294400LL + 1) * kMicrosPerSecond - 1);  // 12:00:00.999999
  // The same second on both sides is a window, not "start after end".
  EXPECT_TRUE(ResolveWindow("now", "now", false, kNow, 0));
}

TEST(RequestTest, AStartAfterTheEndIsRefusedNamingBoth) {
  auto w = ResolveWindow("2024-03-05", "2024-03-01", false, kNow, 0);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("-S 2024-03-05"), std::string::npos);
  EXPECT_NE(w.error().message().find("-E 2024-03-01"), std::string::npos);
  auto bad_end = ResolveWindow("", "2024-03-xx", false, kNow, 0);
  ASSERT_FALSE(bad_end);
  EXPECT_NE(bad_end.error().message().find("-E/--endtime '2024-03-xx'"), std::string::npos);
}

TEST(RequestTest, QueryRoundTripsEveryOption) {
  AcctRequest r;
  r.users = {"alice", "bob"};
  r.accounts = {"physics"};
  r.vos = {"cms"};
  r.groups = {"/cms/prod"};
  r.states = {"COMPLETED", "FAILED"};
  r.jobs_text = "12,13_[1-3]";
  r.start = 5;
  r.end = 99;
  r.all_users = true;
  r.allocations = true;
  r.no_header = true;
  r.format_text = "jobid,state%20";
  r.mode = OutputMode::kParsable2;
  r.tz_offset_seconds = -18000;
  AcctRequest back = FromQuery(ToQuery(r)).value();
  EXPECT_EQ(back.users, r.users);
  EXPECT_EQ(back.accounts, r.accounts);
  EXPECT_EQ(back.vos, r.vos);
  EXPECT_EQ(back.groups, r.groups);
  EXPECT_EQ(back.states, r.states);
  ASSERT_EQ(back.jobs.size(), 2u);
  EXPECT_EQ(back.jobs[1].id, 13);
  EXPECT_EQ(back.start, 5);
  EXPECT_EQ(back.end, 99);
  EXPECT_TRUE(back.all_users && back.allocations && back.no_header);
  ASSERT_EQ(back.fields.size(), 2u);
  EXPECT_EQ(back.fields[1].width, 20);
  EXPECT_EQ(back.mode, OutputMode::kParsable2);
  EXPECT_EQ(back.tz_offset_seconds, -18000);
}

TEST(RequestTest, BadQueryValuesAreRefusedWithTheirName) {
  auto r = FromQuery({{"start", "soon"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("'start'"), std::string::npos);
  r = FromQuery({{"state", "CD,BOGUS"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("unknown state 'BOGUS'"), std::string::npos);
  r = FromQuery({{"jobs", "12,x"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("-j"), std::string::npos);
  r = FromQuery({{"user", "alice,,bob"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("empty item"), std::string::npos);
  r = FromQuery({{"output", "xml"}});
  ASSERT_FALSE(r);
}

TEST(RequestTest, StatesTakeShortAndLongNames) {
  EXPECT_EQ(ParseStates("cd,F,timeout,oom,NF,ca,CD").value(),
            (std::vector<std::string>{"COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY",
                                      "NODE_FAIL", "CANCELLED"}));
  EXPECT_EQ(ParseStates("PD").value(), std::vector<std::string>{"PENDING"});
}

model::Identity Person(uint32_t uid, std::string name) {
  model::Identity id;
  id.uid = uid;
  id.local_account = std::move(name);
  return id;
}

TEST(RequestTest, ACallerSeesOwnRecordsUnlessTheyNameOthersOrAll) {
  AcctRequest r;
  model::UsageFilter f = FilterFor(r, Person(1000, "alice"));
  EXPECT_EQ(f.users, std::vector<std::string>{"alice"});
  EXPECT_FALSE(f.all_visible);
  EXPECT_EQ(f.visible_uid, 1000);
  r.all_users = true;
  f = FilterFor(r, Person(1000, "alice"));
  EXPECT_TRUE(f.users.empty());
  EXPECT_FALSE(f.all_visible);  // -a widens the filter, not the access
  r.users = {"bob"};
  model::Identity manager = Person(1002, "carol");
  manager.grants.see_vos = {"cms"};
  f = FilterFor(r, manager);
  EXPECT_EQ(f.users, std::vector<std::string>{"bob"});
  EXPECT_EQ(f.visible_vos, std::vector<std::string>{"cms"});
  model::Identity admin = Person(0, "root");
  admin.grants.admin = true;
  EXPECT_TRUE(FilterFor(r, admin).all_visible);
}

TEST(RequestTest, NamingJobsDropsTheDefaultUser) {
  AcctRequest r;
  r.jobs = {{12, {}}};
  EXPECT_TRUE(FilterFor(r, Person(1000, "alice")).users.empty());
  EXPECT_EQ(FilterFor(r, Person(1000, "alice")).job_ids, std::vector<int64_t>{12});
}

}  // namespace
}  // namespace gantry::acct
