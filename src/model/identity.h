// Identity: who a caller is, however they proved it (Unix peer credentials, a bearer token,
// an agent credential), with their VO, groups and roles, the local account their work runs
// as, and what the policy grants them beyond their own jobs. The broker, the API, events
// and the store all speak of callers in these terms; identity/ produces them (verifying
// tokens, reading the VO file, the gridmap and the policy). Plain value types:
// thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/scope.h"

namespace gantry::model {

enum class IdentityKind {
  kLocal,  // a Unix-socket caller, known by its peer credentials
  kToken,  // a bearer token from a trusted issuer
  kAgent,  // an agent's own credential: the agent protocol only
};

std::string_view IdentityKindName(IdentityKind kind);

// The issuer recorded for local callers (they present no token).
inline constexpr std::string_view kLocalIssuer = "local";

// What the policy lets an identity do beyond its own jobs (docs/security.md). Set by
// whoever authenticated the identity, from identity::Policy; the broker only reads it.
struct Grants {
  bool admin = false;             // sees and steers every job and every agent
  std::vector<std::string> see_vos;  // sees and steers every job of these VOs (see-vo)
  bool steer_agents = false;      // lists, drains and resumes agents
};

struct Identity {
  IdentityKind kind = IdentityKind::kLocal;
  std::string subject;  // token "sub", or the login name of a local caller
  std::string issuer;   // token "iss", or kLocalIssuer
  std::string vo;       // first component of the first group ("cms" for /cms/prod), or ""
  std::vector<std::string> groups;  // "/cms", "/cms/prod"; the first is the primary group
  std::vector<std::string> roles;   // full FQANs: "/cms/Role=production"
  // The Unix account work runs as ("" if unmapped), and its ids once looked up.
  std::string local_account;
  uint32_t uid = 0;
  uint32_t gid = 0;
  ScopeSet scopes;       // what the credential allows
  std::string token_id;  // "jti", for the journal
  int64_t issued_at = 0;  // the token's "iat", seconds since the epoch (0: none)
  // How the journal names this caller: transport, then Display() ("unix:alice@local",
  // "token:8a3e@https://iam.example.org/", "agent:agent-node7@https://node1/gantry").
  std::string source;
  Grants grants;

  bool HasGroup(std::string_view group) const;  // equal, or a subgroup of it
  bool HasRole(std::string_view fqan) const;
  // "alice@local", "a1b2@https://iam.example.org/": who, in a message.
  std::string Display() const;
  // The group a job of this identity is accounted to: the first of its groups ("" if none).
  std::string PrimaryGroup() const;
};

// Who caused an event, as the journal records it (docs/schema.md): the printable source
// ("unix:alice@local", "server", "agent:node7") and, when an identity caused it, its
// subject, issuer and VO.
struct Actor {
  std::string source;
  std::string subject;
  std::string issuer;
  std::string vo;

  static Actor Of(const Identity& identity);
  // The server itself (timers, matchmaking) or another non-person source.
  static Actor System(std::string source) { return Actor{std::move(source), "", "", ""}; }
};

}  // namespace gantry::model
