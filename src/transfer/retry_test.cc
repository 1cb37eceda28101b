#include "transfer/retry.h"

#include <gtest/gtest.h>

namespace gantry::transfer {
namespace {

TEST(RetryTest, NoSuchFileAndPermissionDeniedAreFinal) {
  EXPECT_FALSE(IsRecoverable(NotFound("no such file")));
  EXPECT_FALSE(IsRecoverable(PermissionDenied("denied")));
  EXPECT_FALSE(IsRecoverable(FailedPrecondition("bad source")));
  EXPECT_TRUE(IsRecoverable(Unavailable("connection refused")));
  EXPECT_TRUE(IsRecoverable(ResourceExhausted("no space left")));
  EXPECT_TRUE(IsRecoverable(DeadlineExceeded("timeout")));
}

TEST(RetryTest, BackoffDoublesUpToTheCap) {
  RetryPolicy p;
  p.base_delay = 2 * kMicrosPerSecond;
  p.max_delay = 20 * kMicrosPerSecond;
  EXPECT_EQ(RetryDelay(p, 2, 0), 2 * kMicrosPerSecond);
  EXPECT_EQ(RetryDelay(p, 3, 0), 4 * kMicrosPerSecond);
  EXPECT_EQ(RetryDelay(p, 4, 0), 8 * kMicrosPerSecond);
  EXPECT_EQ(RetryDelay(p, 9, 0), 20 * kMicrosPerSecond);
  EXPECT_EQ(RetryDelay(p, 2, 1.0), 2 * kMicrosPerSecond + kMicrosPerSecond / 2);
}

}  // namespace
}  // namespace gantry::transfer
