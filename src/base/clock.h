// Clock: the seam for time. Pure code takes a Clock& so tests can inject FakeClock; code that
// waits for a deadline waits through the Clock too (WaitUntil), so a test can expire the
// deadline by advancing a FakeClock instead of sleeping. SystemClock and FakeClock are
// thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace gantry {

// Microseconds since the Unix epoch: what the store and the journal record.
using TimeMicros = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (it may jump): for what is recorded and shown.
  virtual TimeMicros Now() const = 0;
  // Microseconds on a clock that never jumps: for deadlines and intervals.
  virtual TimeMicros MonotonicNow() const = 0;
  // Waits on cv (lock held; released while waiting) until it is notified or MonotonicNow()
  // reaches deadline. Like a condition variable, it may also return early for no reason:
  // callers re-check their condition. kTimeout once the deadline has passed.
  virtual std::cv_status WaitUntil(std::condition_variable& cv,
                                   std::unique_lock<std::mutex>& lock,
                                   TimeMicros deadline) const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMicros Now() const override;
  TimeMicros MonotonicNow() const override;
  std::cv_status WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                           TimeMicros deadline) const override;
};

// Time moves only when a test says so; both Now and MonotonicNow read the same value.
// A WaitUntil sleeps in short real slices, so a deadline passes soon after Advance moves the
// time past it (from any thread), without the waiter being notified.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeMicros start = 1'700'000'000'000'000) : now_(start) {}
  TimeMicros Now() const override { return now_.load(); }
  TimeMicros MonotonicNow() const override { return now_.load(); }
  std::cv_status WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                           TimeMicros deadline) const override;
  void Advance(TimeMicros delta) { now_ += delta; }
  void Set(TimeMicros now) { now_ = now; }

 private:
  std::atomic<TimeMicros> now_;
};

constexpr TimeMicros kMicrosPerSecond = 1'000'000;
constexpr TimeMicros kMicrosPerMilli = 1'000;

}  // namespace gantry
