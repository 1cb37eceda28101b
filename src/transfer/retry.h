// Which transfer failures are worth another attempt, and when. Unrecoverable: the source
// does not exist, permission is denied, the request is malformed, or the source's bytes do
// not match the catalog (the source replica is bad: another source may serve). Everything
// else (timeouts, refused connections, a full destination, a checksum mismatch at the
// destination) is retried with exponential backoff up to max_attempts. Pure.
#pragma once

#include <cstdint>

#include "base/clock.h"
#include "base/error.h"

namespace gantry::transfer {

struct RetryPolicy {
  int max_attempts = 5;
  TimeMicros base_delay = 2 * kMicrosPerSecond;
  TimeMicros max_delay = 300 * kMicrosPerSecond;
};

bool IsRecoverable(const Error& error);

// The delay before attempt number `next_attempt` (2 for the first retry): base * 2^(n-2),
// capped; jitter in [0, 1) adds up to a quarter more so retries of many transfers spread.
TimeMicros RetryDelay(const RetryPolicy& policy, int next_attempt, double jitter);

}  // namespace gantry::transfer
