#include "base/clock.h"

#include <thread>

#include <gtest/gtest.h>

namespace gantry {
namespace {

TEST(FakeClockTest, AWaitEndsWhenAnotherThreadAdvancesPastTheDeadline) {
  FakeClock clock;
  std::mutex mu;
  std::condition_variable cv;
  TimeMicros deadline = clock.MonotonicNow() + 3600 * kMicrosPerSecond;
  std::atomic<bool> waiting = false;
  std::cv_status last = std::cv_status::no_timeout;
  std::thread waiter([&] {
    std::unique_lock lock(mu);
    waiting = true;
    while ((last = clock.WaitUntil(cv, lock, deadline)) == std::cv_status::no_timeout) {
    }
  });
  while (!waiting) std::this_thread::yield();
  clock.Advance(3600 * kMicrosPerSecond);  // an hour, in no time
  waiter.join();
  EXPECT_EQ(last, std::cv_status::timeout);
}

TEST(FakeClockTest, APassedDeadlineTimesOutAtOnce) {
  FakeClock clock;
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock lock(mu);
  EXPECT_EQ(clock.WaitUntil(cv, lock, clock.MonotonicNow()), std::cv_status::timeout);
}

TEST(SystemClockTest, AShortDeadlinePasses) {
  SystemClock clock;
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock lock(mu);
  TimeMicros deadline = clock.MonotonicNow() + 1000;
  while (clock.WaitUntil(cv, lock, deadline) == std::cv_status::no_timeout) {
  }
  EXPECT_GE(clock.MonotonicNow(), deadline);
}

}  // namespace
}  // namespace gantry
