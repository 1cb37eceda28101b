#include "model/identity.h"

#include <algorithm>

namespace gantry::model {

std::string_view IdentityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kLocal: return "local";
    case IdentityKind::kToken: return "token";
    case IdentityKind::kAgent: return "agent";
  }
  return "unknown";
}

bool Identity::HasGroup(std::string_view group) const {
  if (group.empty()) return false;
  std::string_view base = group;
  if (base.size() > 1 && base.back() == '/') base.remove_suffix(1);
  return std::any_of(groups.begin(), groups.end(), [&](const std::string& g) {
    // Membership of /cms/prod implies membership of /cms, as in VOMS.
    return g == base || (g.size() > base.size() && g.compare(0, base.size(), base) == 0 &&
                         g[base.size()] == '/');
  });
}

bool Identity::HasRole(std::string_view fqan) const {
  return std::find(roles.begin(), roles.end(), fqan) != roles.end();
}

std::string Identity::Display() const { return subject + "@" + issuer; }

std::string Identity::PrimaryGroup() const { return groups.empty() ? "" : groups.front(); }

Actor Actor::Of(const Identity& identity) {
  return Actor{identity.source.empty() ? identity.Display() : identity.source, identity.subject,
               identity.issuer, identity.vo};
}

}  // namespace gantry::model
