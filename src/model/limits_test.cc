#include "model/limits.h"

#include <gtest/gtest.h>

namespace gantry::model {
namespace {

TEST(LimitsTest, CheckLimitAcceptsBothEndsAndNamesTheFieldOutside) {
  EXPECT_TRUE(CheckLimit(kNtasksLimit, 1));
  EXPECT_TRUE(CheckLimit(kNtasksLimit, kMaxCount));
  auto r = CheckLimit(kNtasksLimit, kMaxCount + 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message(),
            "field 'ntasks' is out of range (got 1000001): must be from 1 to 1000000");
}

TEST(LimitsTest, TimeLimitInMicrosecondsStaysInsideInt64) {
  // The agent and the supervisor turn the limit into a deadline in microseconds.
  static_assert(kMaxTimeLimitSeconds < INT64_MAX / 1'000'000 / 2);
  static_assert(kMaxMemoryMb < INT64_MAX / (1024 * 1024));
  static_assert(kMaxCount <= INT64_MAX / kMaxCount);  // ntasks x cpus_per_task
  EXPECT_EQ(kMaxTimeLimitSeconds, 3'153'600'000);
}

TEST(LimitsTest, NegativeNiceNeedsAPrivilegedCaller) {
  EXPECT_TRUE(CheckNicePermission(0, false));
  EXPECT_TRUE(CheckNicePermission(kMaxNice, false));
  EXPECT_TRUE(CheckNicePermission(-kMaxNice, true));
  auto r = CheckNicePermission(-1, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(r.error().message().find("only root and the server's own user"), std::string::npos)
      << r.error().message();
  EXPECT_NE(r.error().message().find("(-1)"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace gantry::model
