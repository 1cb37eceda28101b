#include "identity/identity.h"

#include <algorithm>

namespace gantry::identity {

Fqan SplitFqan(std::string_view fqan) {
  Fqan out;
  size_t role = fqan.find("/Role=");
  if (role == std::string_view::npos) {
    out.group = std::string(fqan);
    return out;
  }
  out.group = std::string(fqan.substr(0, role));
  std::string_view rest = fqan.substr(role + 6);
  // VOMS FQANs may carry "/Capability=NULL" after the role.
  size_t slash = rest.find('/');
  out.role = std::string(rest.substr(0, slash));
  if (out.role == "NULL") out.role.clear();
  return out;
}

std::string VoOf(std::string_view group_or_fqan) {
  if (group_or_fqan.empty() || group_or_fqan[0] != '/') return "";
  std::string_view rest = group_or_fqan.substr(1);
  std::string_view vo = rest.substr(0, rest.find('/'));
  if (vo.starts_with("Role=")) return "";
  return std::string(vo);
}

void AddGroupsAndRoles(const std::vector<std::string>& entries, Identity& identity) {
  for (const std::string& entry : entries) {
    Fqan fqan = SplitFqan(entry);
    if (fqan.group.empty() || fqan.group[0] != '/') continue;
    if (!fqan.role.empty()) {
      std::string role = fqan.group + "/Role=" + fqan.role;
      if (!identity.HasRole(role)) identity.roles.push_back(role);
    }
    if (std::find(identity.groups.begin(), identity.groups.end(), fqan.group) ==
        identity.groups.end()) {
      identity.groups.push_back(fqan.group);
    }
    if (identity.vo.empty()) identity.vo = VoOf(fqan.group);
  }
}

}  // namespace gantry::identity
