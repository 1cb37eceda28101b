// The authorization policy: who sees which jobs, who may submit to which partition, who may
// steer agents. Written in a file, one rule a line:
//   admin        user:root                   # sees and touches everything
//   see-vo       /cms/Role=admin             # sees (and may hold/cancel) all jobs of VO cms
//   submit       /cms/Role=production  prod  # only these may submit to partition prod
//   steer-agents /ops/Role=admin             # may drain, resume and steer agents
// Who: a group (/cms: members of it or its subgroups), a role FQAN, user:NAME (a subject or
// local account), issuer:URL, or any. Everyone may see and touch their own jobs; a partition
// that no submit rule names is open to all. Pure. Thread-compatible; immutable once built.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "identity/identity.h"

namespace gantry::identity {

struct Decision {
  bool allowed = false;
  std::string reason;  // the rule that decided, or why none did: for 403 bodies and logs
  explicit operator bool() const { return allowed; }
};

class Policy {
 public:
  static Result<Policy> Parse(std::string_view text, std::string_view name = "policy");

  // "admin", "see-vo", "submit", "steer-agents"; for the server's own account and tests.
  Status AddRule(std::string verb, std::string who, std::string partition = "");

  bool IsAdmin(const Identity& who) const;
  // Owner is the identity recorded with the job.
  Decision CanSeeJob(const Identity& viewer, const Identity& owner) const;
  // The VOs whose jobs who sees and steers by a see-vo rule (CanSeeJob's rule, as a list the
  // broker and the store can filter by).
  std::vector<std::string> SeenVos(const Identity& who) const;
  Decision CanSubmit(const Identity& who, std::string_view partition) const;
  Decision CanSteerAgents(const Identity& who) const;

 private:
  struct Rule {
    std::string verb;
    std::string who;
    std::string partition;
    std::string text;  // "see-vo /cms/Role=admin", for reasons
  };
  static bool Matches(std::string_view who, const Identity& identity);

  std::vector<Rule> rules_;
};

// Same subject from the same issuer, or the same (non-empty) local account.
bool SamePerson(const Identity& a, const Identity& b);

}  // namespace gantry::identity
