#include "transfer/retry.h"

#include <algorithm>

namespace gantry::transfer {

bool IsRecoverable(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kNotFound:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kCancelled:
      return false;
    case ErrorCode::kFailedPrecondition:
      // The source changed or does not match the catalog: retrying the same source cannot help.
      return false;
    default:
      return true;
  }
}

TimeMicros RetryDelay(const RetryPolicy& policy, int next_attempt, double jitter) {
  int doublings = std::clamp(next_attempt - 2, 0, 30);
  TimeMicros delay = policy.base_delay;
  for (int i = 0; i < doublings && delay < policy.max_delay; ++i) delay *= 2;
  delay = std::min(delay, policy.max_delay);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return delay + static_cast<TimeMicros>(static_cast<double>(delay) * jitter / 4);
}

}  // namespace gantry::transfer
