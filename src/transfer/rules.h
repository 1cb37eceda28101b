// Replication rules, as Rucio has them: "N copies of this DID on RSEs matching this
// expression, for this lifetime". PlanRule decides, for each file of the DID, which
// transfers would satisfy the rule: a copy counts when it is available on a matching RSE (or
// on its way there); a bad or stale copy on a matching RSE is repaired first, then new RSEs
// are chosen in the order given; the source is an available replica elsewhere. Pure.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/did.h"

namespace gantry::transfer {

struct FileView {
  std::string scope, name;
  int64_t bytes = 0;
  std::string adler32;
  std::vector<std::pair<std::string, catalog::ReplicaState>> replicas;  // rse, state
};

struct PlannedTransfer {
  std::string scope, name;
  std::string source_rse, dest_rse;
  int64_t bytes = 0;
  std::string adler32;
  bool repair = false;  // the destination holds a bad copy
};

struct RulePlan {
  std::vector<PlannedTransfer> transfers;
  int files = 0;
  int satisfied = 0;    // files with `copies` available copies on matching RSEs
  std::string stuck;    // why the rule cannot be satisfied, "" if it can
};

// in_flight(scope, name, rse): a transfer of that file to that RSE is queued or active.
RulePlan PlanRule(int copies, const std::vector<std::string>& candidates,
                  const std::vector<FileView>& files,
                  const std::function<bool(const std::string&, const std::string&,
                                           const std::string&)>& in_flight);

}  // namespace gantry::transfer
