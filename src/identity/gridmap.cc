#include "identity/gridmap.h"

#include "identity/config_lines.h"

namespace gantry::identity {

Result<Gridmap> Gridmap::Parse(std::string_view text, std::string_view name) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, SplitConfigLines(text));
  Gridmap map;
  for (const ConfigLine& line : lines) {
    if (line.words.size() != 2) {
      return Fail(InvalidArgument(LineContext(name, line) +
                                  "expected '\"ISSUER SUBJECT\" ACCOUNT' or '\"FQAN\" ACCOUNT'"));
    }
    const std::string& who = line.words[0];
    Entry entry;
    entry.account = line.words[1];
    if (who.starts_with("/")) {
      entry.fqan = who;
    } else {
      size_t space = who.rfind(' ');
      if (space == std::string::npos || space == 0 || space + 1 == who.size()) {
        return Fail(InvalidArgument(LineContext(name, line) + "'" + who +
                                    "' is neither \"ISSUER SUBJECT\" nor a group or role"));
      }
      entry.issuer = who.substr(0, space);
      entry.subject = who.substr(space + 1);
    }
    map.entries_.push_back(std::move(entry));
  }
  return map;
}

Result<std::string> Gridmap::Map(const Identity& identity) const {
  for (const Entry& e : entries_) {
    if (!e.subject.empty() && e.issuer == identity.issuer && e.subject == identity.subject) {
      return e.account;
    }
  }
  for (const Entry& e : entries_) {
    if (e.fqan.empty()) continue;
    bool match = e.fqan.find("/Role=") != std::string::npos ? identity.HasRole(e.fqan)
                                                             : identity.HasGroup(e.fqan);
    if (match) return e.account;
  }
  return Fail(NotFound("the gridmap maps " + identity.Display() +
                       " (and its groups and roles) to no local account"));
}

}  // namespace gantry::identity
