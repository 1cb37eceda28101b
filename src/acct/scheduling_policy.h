// The scheduling policy file (docs/policy.md): SLURM multifactor weights, the fair-share
// half-life, shares per VO and group, QOS priorities, and compute quotas. One directive a
// line; a file with an error is refused whole, naming the line (the caller keeps the policy
// it had). Pure, thread-compatible; immutable once parsed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"

namespace gantry::acct {

// A compute quota (SLURM's QOS / GrpTRES limits): over `who` of `scope`, at most `value`.
struct Limit {
  enum class Scope { kUser, kGroup, kVo };
  enum class Kind { kRunningCores, kRunningGpus, kQueuedJobs, kCoreHours };
  Scope scope;
  std::string who;
  Kind kind;
  double value = 0;
  int64_t period_seconds = 0;  // kCoreHours: per this long (day, week, month = 30 days)
  int line = 0;
  std::string text;  // the line as written, for messages
};

struct SchedulingPolicy {
  double weight_age = 1000;
  double weight_fairshare = 10000;
  double weight_jobsize = 1000;
  double weight_qos = 10000;
  int64_t half_life_seconds = 7 * 86400;  // PriorityDecayHalfLife
  int64_t max_age_seconds = 7 * 86400;    // PriorityMaxAge
  std::map<std::string, double> vo_shares;     // VOs not named: share 1
  std::map<std::string, double> group_shares;  // within their VO
  std::map<std::string, double> qos;           // name -> priority; "normal" 0 if not named
  std::vector<Limit> limits;

  static Result<SchedulingPolicy> Parse(std::string_view text, std::string_view name);
  double VoShare(std::string_view vo) const;
  double QosPriority(std::string_view name) const;
  double MaxQosPriority() const;
};

// "90s", "30m", "12h", "7d", "2w".
Result<int64_t> ParseDuration(std::string_view text);

}  // namespace gantry::acct
