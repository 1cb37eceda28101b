#include "transfer/optimizer.h"

#include <algorithm>
#include <cstdio>

namespace gantry::transfer {
namespace {

std::string Percent(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", v * 100);
  return buf;
}

std::string Rate(double bytes_per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB/s", bytes_per_second / 1e6);
  return buf;
}

}  // namespace

Decision Optimizer::Evaluate(LinkState& state, std::span<const LinkSample> samples, int queued,
                             int active, TimeMicros now) const {
  const OptimizerOptions& o = options_;
  Decision d;
  if (state.limit == 0) {
    state.limit = std::clamp(o.start_active, o.min_active, o.max_active);
    state.last_decision = now;
    d.limit = state.limit;
    d.changed = true;
    d.reason = "new link: starts at " + std::to_string(state.limit);
    return d;
  }
  d.limit = state.limit;
  if (now - state.last_decision < o.interval) {
    d.reason = "hold: evaluated recently";
    return d;
  }
  int ok = 0, failed = 0;
  int64_t bytes = 0;
  TimeMicros first_start = now;
  for (const LinkSample& s : samples) {
    if (s.finished < now - o.window || s.finished > now) continue;
    if (s.success) {
      ++ok;
      bytes += s.bytes;
      first_start = std::min(first_start, std::max(s.started, now - o.window));
    } else {
      ++failed;
    }
  }
  if (ok + failed == 0) {
    d.reason = "hold: no transfer ended in the window";
    return d;
  }
  state.last_decision = now;
  d.success_rate = static_cast<double>(ok) / (ok + failed);
  double span = static_cast<double>(now - first_start) / kMicrosPerSecond;
  d.throughput = ok > 0 && span > 0 ? static_cast<double>(bytes) / span : 0;
  double previous_ema = state.throughput_ema;
  state.throughput_ema = previous_ema == 0
                             ? d.throughput
                             : o.ema_alpha * d.throughput + (1 - o.ema_alpha) * previous_ema;
  double previous_rate = state.last_success_rate;
  state.last_success_rate = d.success_rate;
  std::string figures = "success " + Percent(d.success_rate) + ", " + Rate(state.throughput_ema);

  int target = state.limit;
  if (d.success_rate < o.bad_success_rate) {
    target = state.limit - o.step;
    d.reason = "fewer: " + figures + " (below " + Percent(o.bad_success_rate) + ")";
  } else if (d.success_rate < o.low_success_rate) {
    if (previous_rate >= 0 && d.success_rate < previous_rate) {
      target = state.limit - o.step;
      d.reason = "fewer: " + figures + ", worse than " + Percent(previous_rate);
    } else {
      d.reason = "hold: " + figures + " (below " + Percent(o.low_success_rate) + ")";
    }
  } else if (previous_ema > 0 && state.throughput_ema < previous_ema * (1 - o.throughput_drop)) {
    target = state.limit - o.step;
    d.reason = "fewer: " + figures + ", throughput fell from " + Rate(previous_ema);
  } else if (active >= state.limit && queued > 0) {
    target = state.limit + o.step;
    d.reason = "more: " + figures + ", link full with " + std::to_string(queued) + " queued";
  } else {
    d.reason = "hold: " + figures + ", the link does not use its " +
               std::to_string(state.limit);
  }
  target = std::clamp(target, o.min_active, o.max_active);
  if (target == state.limit && d.reason.starts_with("fewer")) {
    d.reason = "hold at the minimum: " + d.reason.substr(7);
  } else if (target == state.limit && d.reason.starts_with("more")) {
    d.reason = "hold at the maximum: " + d.reason.substr(6);
  }
  d.changed = target != state.limit;
  state.limit = target;
  d.limit = target;
  return d;
}

}  // namespace gantry::transfer
