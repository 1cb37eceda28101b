#include "identity/policy.h"

#include <algorithm>

#include "identity/config_lines.h"

namespace gantry::identity {
namespace {

bool KnownVerb(std::string_view verb) {
  return verb == "admin" || verb == "see-vo" || verb == "submit" || verb == "steer-agents";
}

}  // namespace

bool SamePerson(const Identity& a, const Identity& b) {
  if (a.subject == b.subject && a.issuer == b.issuer) return true;
  return !a.local_account.empty() && a.local_account == b.local_account;
}

Result<Policy> Policy::Parse(std::string_view text, std::string_view name) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, SplitConfigLines(text));
  Policy policy;
  for (const ConfigLine& line : lines) {
    const auto& w = line.words;
    bool shape_ok = w.size() == 2 || (w.size() == 3 && w[0] == "submit");
    if (!shape_ok) {
      return Fail(InvalidArgument(
          LineContext(name, line) +
          "expected 'admin WHO', 'see-vo ROLE', 'submit WHO PARTITION' or 'steer-agents WHO'"));
    }
    auto added = policy.AddRule(w[0], w[1], w.size() == 3 ? w[2] : "");
    if (!added) return Fail(InvalidArgument(LineContext(name, line) + added.error().message()));
  }
  return policy;
}

Status Policy::AddRule(std::string verb, std::string who, std::string partition) {
  if (!KnownVerb(verb)) return Fail(InvalidArgument("unknown rule '" + verb + "'"));
  bool who_ok = who == "any" || who.starts_with("user:") || who.starts_with("issuer:") ||
                !VoOf(who).empty();
  if (!who_ok) {
    return Fail(InvalidArgument("'" + who +
                                "' is not a group, a role, user:NAME, issuer:URL or any"));
  }
  if (verb == "see-vo" && SplitFqan(who).role.empty()) {
    return Fail(InvalidArgument("see-vo takes a role such as /cms/Role=admin, not '" + who + "'"));
  }
  std::string text = verb + " " + who + (partition.empty() ? "" : " " + partition);
  rules_.push_back({std::move(verb), std::move(who), std::move(partition), std::move(text)});
  return {};
}

bool Policy::Matches(std::string_view who, const Identity& identity) {
  if (who == "any") return true;
  if (who.starts_with("user:")) {
    std::string_view name = who.substr(5);
    return identity.subject == name || identity.local_account == name;
  }
  if (who.starts_with("issuer:")) return identity.issuer == who.substr(7);
  if (who.find("/Role=") != std::string_view::npos) return identity.HasRole(who);
  return identity.HasGroup(who);
}

bool Policy::IsAdmin(const Identity& who) const {
  for (const Rule& rule : rules_) {
    if (rule.verb == "admin" && Matches(rule.who, who)) return true;
  }
  return false;
}

Decision Policy::CanSeeJob(const Identity& viewer, const Identity& owner) const {
  if (SamePerson(viewer, owner)) return {true, "own job"};
  for (const Rule& rule : rules_) {
    if (rule.verb == "admin" && Matches(rule.who, viewer)) return {true, rule.text};
    // A VO admin role covers the jobs of its own VO only.
    if (rule.verb == "see-vo" && Matches(rule.who, viewer) && !owner.vo.empty() &&
        VoOf(rule.who) == owner.vo) {
      return {true, rule.text};
    }
  }
  return {false, "the job belongs to " + owner.Display() +
                     "; only its owner, an admin or a VO admin role of its VO may see it"};
}

std::vector<std::string> Policy::SeenVos(const Identity& who) const {
  std::vector<std::string> vos;
  for (const Rule& rule : rules_) {
    if (rule.verb != "see-vo" || !Matches(rule.who, who)) continue;
    std::string vo = VoOf(rule.who);
    if (std::find(vos.begin(), vos.end(), vo) == vos.end()) vos.push_back(std::move(vo));
  }
  return vos;
}

Decision Policy::CanSubmit(const Identity& who, std::string_view partition) const {
  bool restricted = false;
  for (const Rule& rule : rules_) {
    if (rule.verb == "admin" && Matches(rule.who, who)) return {true, rule.text};
    if (rule.verb != "submit" || rule.partition != partition) continue;
    restricted = true;
    if (Matches(rule.who, who)) return {true, rule.text};
  }
  if (!restricted) return {true, "partition '" + std::string(partition) + "' is open to all"};
  return {false, "the policy lets only the 'submit' rules of partition '" +
                     std::string(partition) + "' submit there, and none names " + who.Display()};
}

Decision Policy::CanSteerAgents(const Identity& who) const {
  for (const Rule& rule : rules_) {
    if ((rule.verb == "admin" || rule.verb == "steer-agents") && Matches(rule.who, who)) {
      return {true, rule.text};
    }
  }
  return {false, "steering agents needs an 'admin' or 'steer-agents' rule naming " +
                     who.Display()};
}

}  // namespace gantry::identity
