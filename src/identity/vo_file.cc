#include "identity/vo_file.h"

#include "identity/config_lines.h"

namespace gantry::identity {

Result<VoFile> VoFile::Parse(std::string_view text, std::string_view name) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, SplitConfigLines(text));
  VoFile out;
  for (const ConfigLine& line : lines) {
    const auto& w = line.words;
    if (w.size() < 3 || (w[0] != "user" && w[0] != "group")) {
      return Fail(InvalidArgument(LineContext(name, line) +
                                  "expected 'user NAME FQAN...' or 'group NAME FQAN...'"));
    }
    auto& target = w[0] == "user" ? out.users_[w[1]] : out.groups_[w[1]];
    for (size_t i = 2; i < w.size(); ++i) {
      if (w[i].empty() || w[i][0] != '/' || VoOf(w[i]).empty()) {
        return Fail(InvalidArgument(LineContext(name, line) + "'" + w[i] +
                                    "' is not a group or role such as /cms or /cms/Role=prod"));
      }
      target.push_back(w[i]);
    }
  }
  return out;
}

void VoFile::Apply(std::string_view user, const std::vector<std::string>& unix_groups,
                   Identity& identity) const {
  if (auto it = users_.find(user); it != users_.end()) AddGroupsAndRoles(it->second, identity);
  for (const std::string& group : unix_groups) {
    if (auto it = groups_.find(group); it != groups_.end()) AddGroupsAndRoles(it->second, identity);
  }
}

}  // namespace gantry::identity
