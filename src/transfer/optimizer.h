// The per-link concurrency optimizer, after FTS3's: for each link (source RSE -> destination
// RSE) a limit on concurrent transfers that adapts to the link's recent success rate and
// throughput. Each evaluation looks at the transfers that ended within the window:
//   - success rate below bad_success_rate (90%): one fewer;
//   - below low_success_rate (97%): one fewer if it got worse since the last evaluation,
//     else hold;
//   - otherwise, on a link that uses all it is allowed and has more queued: one more
//     (step) while the throughput keeps up (its moving average has not fallen by more
//     than throughput_drop, 10%); one fewer when it has fallen, as adding streams no
//     longer helps.
// The limit stays within [min_active, max_active]; every decision carries a reason, which
// the service records as an event. Pure: the caller passes time and samples.
// Thread-compatible.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/clock.h"

namespace gantry::transfer {

struct OptimizerOptions {
  int min_active = 1;
  int max_active = 16;
  int start_active = 2;  // a link with no history
  int step = 1;
  double bad_success_rate = 0.90;
  double low_success_rate = 0.97;
  double throughput_drop = 0.10;
  double ema_alpha = 0.5;          // weight of the newest throughput in the moving average
  TimeMicros window = 300 * kMicrosPerSecond;
  TimeMicros interval = 5 * kMicrosPerSecond;  // at most one decision this often
};

// One finished transfer on the link.
struct LinkSample {
  TimeMicros started = 0;
  TimeMicros finished = 0;
  int64_t bytes = 0;
  bool success = false;
};

// What the optimizer remembers about a link between evaluations.
struct LinkState {
  int limit = 0;  // 0: not yet decided
  double throughput_ema = 0;       // bytes/s
  double last_success_rate = -1;   // -1: none yet
  TimeMicros last_decision = 0;
};

struct Decision {
  int limit = 0;
  bool changed = false;
  double success_rate = 1;
  double throughput = 0;  // bytes/s over the window's successes
  std::string reason;
};

class Optimizer {
 public:
  explicit Optimizer(OptimizerOptions options = {}) : options_(options) {}

  // Updates state from the samples (any order; those outside the window are ignored).
  // queued: transfers waiting on the link; active: running now.
  Decision Evaluate(LinkState& state, std::span<const LinkSample> samples, int queued,
                    int active, TimeMicros now) const;
  const OptimizerOptions& options() const { return options_; }

 private:
  OptimizerOptions options_;
};

}  // namespace gantry::transfer
