#include "model/selectors.h"

#include <gtest/gtest.h>

namespace gantry::model {
namespace {

using S = TaskState;

TEST(JobListTest, AcceptsSqueueJobIdForms) {
  auto list = ParseJobList("151,151_1,151_[1-3],152_[7,2-4%2]").value();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0], (JobSelector{151, {}}));
  EXPECT_EQ(list[1], (JobSelector{151, {{1, 1}}}));
  EXPECT_EQ(list[2], (JobSelector{151, {{1, 3}}}));
  EXPECT_EQ(list[3], (JobSelector{152, {{2, 4}, {7, 7}}}));
}

TEST(JobListTest, RefusesBadItemsNamingThem) {
  for (const char* bad : {"", "x", "151,", "151_", "151_x", "0", "151_[3-1]", "151_[1-3",
                          "151_-1", "151,abc"}) {
    auto r = ParseJobList(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find("invalid job id"), std::string::npos) << bad;
  }
  EXPECT_NE(ParseJobList("151,abc").error().message().find("'abc' in '151,abc'"),
            std::string::npos);
}

TEST(JobListTest, AJobIdSelectsItsTasksAndATasksOwnIdSelectsThatTask) {
  Task first{.id = 151, .job_id = 151, .array_index = 1};
  Task second{.id = 152, .job_id = 151, .array_index = 2};
  JobSelector job{151, {}}, own{152, {}}, index{151, {{2, 3}}};
  EXPECT_TRUE(job.Selects(first));
  EXPECT_TRUE(job.Selects(second));
  EXPECT_FALSE(own.Selects(first));
  EXPECT_TRUE(own.Selects(second));
  EXPECT_FALSE(index.Selects(first));
  EXPECT_TRUE(index.Selects(second));
}

TEST(StateListTest, AcceptsShortAndLongNamesInAnyCase) {
  EXPECT_EQ(ParseStateList("PD,R").value(),
            (std::vector<S>{S::kSubmitted, S::kWaiting, S::kReady, S::kRunning, S::kHeld}));
  EXPECT_EQ(ParseStateList("pending,running").value(), ParseStateList("PD,R").value());
  EXPECT_EQ(ParseStateList("cd, ca,f").value(), (std::vector<S>{S::kDone, S::kFailed,
                                                                S::kCancelled}));
  EXPECT_EQ(ParseStateList("completed,Held,ready").value(),
            (std::vector<S>{S::kReady, S::kDone, S::kHeld}));
  EXPECT_EQ(ParseStateList("all").value().size(), 9u);
}

TEST(StateListTest, RefusesAnUnknownStateNamingIt) {
  auto r = ParseStateList("R,BOGUS");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("unknown state 'BOGUS' in 'R,BOGUS'"), std::string::npos);
  EXPECT_FALSE(ParseStateList(""));
  EXPECT_FALSE(ParseStateList("R,"));
}

}  // namespace
}  // namespace gantry::model
