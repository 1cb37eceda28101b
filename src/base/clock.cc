#include "base/clock.h"

namespace gantry {
namespace {
// How long a FakeClock waiter sleeps before it looks at the fake time again.
constexpr auto kFakeSlice = std::chrono::milliseconds(2);
}  // namespace

TimeMicros SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TimeMicros SystemClock::MonotonicNow() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::cv_status SystemClock::WaitUntil(std::condition_variable& cv,
                                      std::unique_lock<std::mutex>& lock,
                                      TimeMicros deadline) const {
  TimeMicros left = deadline - MonotonicNow();
  if (left <= 0) return std::cv_status::timeout;
  return cv.wait_for(lock, std::chrono::microseconds(left));
}

std::cv_status FakeClock::WaitUntil(std::condition_variable& cv,
                                    std::unique_lock<std::mutex>& lock,
                                    TimeMicros deadline) const {
  if (MonotonicNow() >= deadline) return std::cv_status::timeout;
  cv.wait_for(lock, kFakeSlice);
  return MonotonicNow() >= deadline ? std::cv_status::timeout : std::cv_status::no_timeout;
}

}  // namespace gantry
