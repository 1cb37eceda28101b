// Identity: who a caller is, however they proved it (Unix peer credentials, a bearer token,
// an agent credential), with their VO, groups and roles and the local account their work
// runs as. A plain value type: thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "identity/scope.h"

namespace gantry::identity {

enum class Kind {
  kLocal,  // a Unix-socket caller, known by its peer credentials
  kToken,  // a bearer token from a trusted issuer
  kAgent,  // an agent's own credential: the agent protocol only
};

std::string_view KindName(Kind kind);

// The issuer recorded for local callers (they present no token).
inline constexpr std::string_view kLocalIssuer = "local";

struct Identity {
  Kind kind = Kind::kLocal;
  std::string subject;  // token "sub", or the login name of a local caller
  std::string issuer;   // token "iss", or kLocalIssuer
  std::string vo;       // first component of the first group ("cms" for /cms/prod), or ""
  std::vector<std::string> groups;  // "/cms", "/cms/prod"
  std::vector<std::string> roles;   // full FQANs: "/cms/Role=production"
  std::string local_account;        // the Unix account work runs as ("" if unmapped)
  ScopeSet scopes;                  // what the credential allows
  std::string token_id;             // "jti", for the journal

  bool HasGroup(std::string_view group) const;  // equal, or a subgroup of it
  bool HasRole(std::string_view fqan) const;
  // "alice@local", "a1b2@https://iam.example.org/": what the journal records.
  std::string Display() const;
};

// An FQAN (VOMS style) split into group and role: "/cms/prod/Role=production" ->
// {"/cms/prod", "production"}; "/cms" -> {"/cms", ""}.
struct Fqan {
  std::string group;
  std::string role;
};
Fqan SplitFqan(std::string_view fqan);
// "cms" for "/cms/prod" and "/cms/Role=x"; "" for anything not starting with '/'.
std::string VoOf(std::string_view group_or_fqan);
// Sorts wlcg.groups-style entries into groups and roles and sets vo from the first one.
void AddGroupsAndRoles(const std::vector<std::string>& entries, Identity& identity);

}  // namespace gantry::identity
