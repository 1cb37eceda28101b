#include "acct/priority.h"

#include <algorithm>
#include <cmath>

namespace gantry::acct {

void DecayedUsage::Add(const model::UsageRecord& r) {
  double age = static_cast<double>(std::max<TimeMicros>(0, now_ - r.end_time)) / kMicrosPerSecond;
  double weight = half_life_ > 0 ? std::exp2(-age / half_life_) : 1.0;
  double v = r.CoreSeconds() * weight;
  total_ += v;
  std::string vo(r.vo);
  by_vo_[vo] += v;
  vo_names_.insert(vo);
  by_group_[std::string(r.group)] += v;
}

double DecayedUsage::Vo(const std::string& vo) const {
  auto it = by_vo_.find(vo);
  return it == by_vo_.end() ? 0 : it->second;
}

double DecayedUsage::Group(const std::string& group) const {
  auto it = by_group_.find(group);
  return it == by_group_.end() ? 0 : it->second;
}

double FairShareFactor(const SchedulingPolicy& policy, const DecayedUsage& usage,
                       const std::string& vo, const std::string& group) {
  // The VO's share among every VO the site knows (named in the policy or with usage).
  std::set<std::string> vos = usage.vos();
  for (const auto& [name, share] : policy.vo_shares) vos.insert(name);
  vos.insert(vo);
  double all = 0;
  for (const std::string& v : vos) all += policy.VoShare(v);
  double share = all > 0 ? policy.VoShare(vo) / all : 0;
  double used = usage.total() > 0 ? usage.Vo(vo) / usage.total() : 0;
  // A group with a share of its own: its share among its VO's groups that have one.
  if (auto g = policy.group_shares.find(group); g != policy.group_shares.end()) {
    std::string prefix = "/" + vo;
    double siblings = 0;
    for (const auto& [name, s] : policy.group_shares) {
      if (name == prefix || name.starts_with(prefix + "/")) siblings += s;
    }
    share *= siblings > 0 ? g->second / siblings : 0;
    used = usage.total() > 0 ? usage.Group(group) / usage.total() : 0;
  }
  if (share <= 0) return 0;
  return std::exp2(-used / share);
}

Priority ComputePriority(const SchedulingPolicy& policy, const DecayedUsage& usage,
                         const PendingJob& job, TimeMicros now, int64_t site_cores) {
  Priority p;
  double waited = static_cast<double>(std::max<TimeMicros>(0, now - job.eligible_time)) /
                  kMicrosPerSecond;
  double age = policy.max_age_seconds > 0
                   ? std::min(1.0, waited / static_cast<double>(policy.max_age_seconds))
                   : 1.0;
  double size = site_cores > 0 ? std::min(1.0, static_cast<double>(job.cores) /
                                                   static_cast<double>(site_cores))
                               : 0;
  double max_qos = policy.MaxQosPriority();
  double qos = max_qos > 0 ? policy.QosPriority(job.qos) / max_qos : 0;
  p.age = policy.weight_age * age;
  p.fairshare = policy.weight_fairshare * FairShareFactor(policy, usage, job.vo, job.group);
  p.jobsize = policy.weight_jobsize * size;
  p.qos = policy.weight_qos * qos;
  p.nice = job.nice;
  p.value = std::llround(p.age + p.fairshare + p.jobsize + p.qos) - job.nice;
  return p;
}

}  // namespace gantry::acct
