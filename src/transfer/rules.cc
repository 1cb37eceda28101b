#include "transfer/rules.h"

#include <algorithm>
#include <map>

namespace gantry::transfer {

RulePlan PlanRule(int copies, const std::vector<std::string>& candidates,
                  const std::vector<FileView>& files,
                  const std::function<bool(const std::string&, const std::string&,
                                           const std::string&)>& in_flight) {
  RulePlan plan;
  plan.files = static_cast<int>(files.size());
  if (static_cast<int>(candidates.size()) < copies) {
    plan.stuck = std::to_string(copies) + " copies asked but only " +
                 std::to_string(candidates.size()) + " RSEs match";
    return plan;
  }
  for (const FileView& f : files) {
    std::map<std::string, catalog::ReplicaState> at(f.replicas.begin(), f.replicas.end());
    std::string source;
    for (const auto& [rse, state] : at) {
      if (state == catalog::ReplicaState::kAvailable) {
        source = rse;
        break;
      }
    }
    int good = 0, pending = 0;
    std::vector<std::string> repair, fresh;
    for (const std::string& rse : candidates) {
      auto it = at.find(rse);
      if (it != at.end() && it->second == catalog::ReplicaState::kAvailable) {
        ++good;
      } else if (in_flight(f.scope, f.name, rse)) {
        ++pending;
      } else if (it != at.end()) {
        repair.push_back(rse);  // bad, or copying with no transfer behind it
      } else {
        fresh.push_back(rse);
      }
    }
    if (good >= copies) {
      ++plan.satisfied;
      continue;
    }
    int need = copies - good - pending;
    if (need <= 0) continue;
    if (source.empty()) {
      if (plan.stuck.empty()) {
        plan.stuck = "no available replica of " + f.scope + ":" + f.name + " to copy from";
      }
      continue;
    }
    for (const auto* list : {&repair, &fresh}) {
      for (const std::string& rse : *list) {
        if (need == 0) break;
        plan.transfers.push_back(
            {f.scope, f.name, source, rse, f.bytes, f.adler32, list == &repair});
        --need;
      }
    }
  }
  return plan;
}

}  // namespace gantry::transfer
