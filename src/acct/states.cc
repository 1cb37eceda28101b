#include "acct/states.h"

#include <algorithm>

#include "base/strings.h"

namespace gantry::acct {
namespace {

struct StateName {
  std::string_view shortname;
  std::string_view name;
};

// The first six are what Gantry records; the rest are SLURM's, accepted for its scripts.
constexpr StateName kStates[] = {
    {"CD", "COMPLETED"},      {"F", "FAILED"},     {"CA", "CANCELLED"}, {"TO", "TIMEOUT"},
    {"OOM", "OUT_OF_MEMORY"}, {"NF", "NODE_FAIL"}, {"BF", "BOOT_FAIL"}, {"DL", "DEADLINE"},
    {"PD", "PENDING"},        {"PR", "PREEMPTED"}, {"R", "RUNNING"},    {"RQ", "REQUEUED"},
    {"RS", "RESIZING"},       {"RV", "REVOKED"},   {"S", "SUSPENDED"},
};

}  // namespace

Result<std::vector<std::string>> ParseStates(std::string_view text) {
  std::vector<std::string> out;
  for (const std::string& raw : Split(text, ',')) {
    std::string_view item = Trim(raw);
    const StateName* found = nullptr;
    for (const StateName& s : kStates) {
      if (EqualsIgnoreCase(item, s.shortname) || EqualsIgnoreCase(item, s.name)) found = &s;
    }
    if (!found) {
      return Fail(
          InvalidArgument("-s/--state: unknown state '" + std::string(item) +
                          "'; use CD (COMPLETED), F (FAILED), CA (CANCELLED), TO (TIMEOUT), OOM "
                          "(OUT_OF_MEMORY) or NF (NODE_FAIL), separated by commas"));
    }
    std::string name(found->name);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

}  // namespace gantry::acct
