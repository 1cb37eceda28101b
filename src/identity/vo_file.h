// The VO file: which local users and Unix groups belong to which VO groups and roles, so
// Unix-socket callers get the same memberships token holders carry in wlcg.groups.
//   user  alice     /cms /cms/prod
//   user  carol     /cms/Role=production
//   group cmsusers  /cms
// Pure (the caller resolves a user's Unix groups). Thread-compatible; immutable once parsed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "identity/identity.h"

namespace gantry::identity {

class VoFile {
 public:
  static Result<VoFile> Parse(std::string_view text, std::string_view name = "vo");

  // Adds the memberships of user and of its Unix groups to identity (users' lines first).
  void Apply(std::string_view user, const std::vector<std::string>& unix_groups,
             Identity& identity) const;
  // Whether any line names a Unix group: only then are a caller's groups worth looking up.
  bool NamesUnixGroups() const { return !groups_.empty(); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> users_;
  std::map<std::string, std::vector<std::string>, std::less<>> groups_;
};

}  // namespace gantry::identity
