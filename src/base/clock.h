// Clock: the seam for time. Pure code takes a Clock& so tests can inject FakeClock.
// SystemClock is thread-safe; FakeClock is thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>

namespace gantry {

// Microseconds since the Unix epoch: what the store and the journal record.
using TimeMicros = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMicros Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMicros Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeMicros start = 1'700'000'000'000'000) : now_(start) {}
  TimeMicros Now() const override { return now_; }
  void Advance(TimeMicros delta) { now_ += delta; }
  void Set(TimeMicros now) { now_ = now; }

 private:
  TimeMicros now_;
};

constexpr TimeMicros kMicrosPerSecond = 1'000'000;

}  // namespace gantry
