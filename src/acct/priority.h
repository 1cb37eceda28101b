// Multifactor job priority, as SLURM's priority/multifactor plugin computes it (docs/policy.md):
//   priority = w_age * age + w_fairshare * fairshare + w_jobsize * size + w_qos * qos - nice
// with each factor in [0, 1]: age = time eligible / max-age (capped); fair-share the classic
// 2^(-U/S), U the association's decayed usage over everyone's, S its normalised share (VO
// shares, times group shares within the VO); size = cores / the site's cores; qos = the
// QOS's priority / the largest. Pure, thread-compatible.
#pragma once

#include <map>
#include <set>
#include <string>

#include "acct/scheduling_policy.h"
#include "model/usage_record.h"

namespace gantry::acct {

// Core-seconds per VO and group, each record weighted by 2^(-(now - end) / half-life).
class DecayedUsage {
 public:
  DecayedUsage(TimeMicros now, int64_t half_life_seconds)
      : now_(now), half_life_(static_cast<double>(half_life_seconds)) {}
  void Add(const model::UsageRecord& r);
  double Vo(const std::string& vo) const;
  double Group(const std::string& group) const;
  double total() const { return total_; }
  const std::set<std::string>& vos() const { return vo_names_; }

 private:
  TimeMicros now_;
  double half_life_;
  double total_ = 0;
  std::map<std::string, double> by_vo_;
  std::map<std::string, double> by_group_;
  std::set<std::string> vo_names_;
};

struct PendingJob {
  std::string vo;
  std::string group;  // primary group, e.g. /cms/prod
  std::string qos;    // "" = normal
  int64_t cores = 1;
  int64_t nice = 0;
  TimeMicros eligible_time = 0;  // submission, or --begin
};

// Each factor weighted (as sprio prints them) and the total.
struct Priority {
  double age = 0, fairshare = 0, jobsize = 0, qos = 0;
  int64_t nice = 0;
  int64_t value = 0;
};

Priority ComputePriority(const SchedulingPolicy& policy, const DecayedUsage& usage,
                         const PendingJob& job, TimeMicros now, int64_t site_cores);

// The fair-share factor alone, 2^(-U/S) in [0, 1].
double FairShareFactor(const SchedulingPolicy& policy, const DecayedUsage& usage,
                       const std::string& vo, const std::string& group);

}  // namespace gantry::acct
