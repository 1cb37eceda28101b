// Who is calling, and may they call this endpoint. Unix-socket callers are known by their
// peer credentials (their VO memberships from the VO file); TCP callers by a bearer token
// verified by identity/ (the built-in issuer's, `gantry up`'s own user's, an agent's, or a
// trusted issuer's). Refusals are precise: 401 with a WWW-Authenticate challenge naming why
// the token is refused, 403 naming the missing scope. Thread-safe (immutable config).
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/error.h"
#include "identity/identity.h"
#include "identity/pool.h"
#include "identity/revocations.h"
#include "identity/site.h"
#include "identity/token_error.h"
#include "model/identity.h"
#include "net/http_types.h"

namespace gantry::api {

struct AuthConfig {
  uint32_t server_uid = 0;  // the server's own user: admin of its server, as is root
  uint32_t server_gid = 0;
  const identity::Site* site = nullptr;  // trust, VO file, policy, gridmap; null: no tokens
  const Clock* clock = nullptr;          // for token validity; null: the system clock
  identity::Revocations* revocations = nullptr;  // revoked while running; null: none
  identity::AccountPools* pools = nullptr;       // pool account leases; null: pools refused
};

// Why authentication failed: a token problem (for the 401 challenge) or another error.
struct AuthError {
  Error error;
  std::optional<identity::TokenProblem> token_problem;
};

// The caller's identity, complete: its account's uid and gid, its journal source
// ("unix:alice@local", "token:8a3e@https://iam/", "agent:node7@https://node1/gantry") and
// what the policy grants it (model::Grants: admin, see-vo VOs, steer-agents).
std::expected<model::Identity, AuthError> Authenticate(const net::HttpRequest& request,
                                                       const AuthConfig& config);

// 403 "the token lacks the scope compute.cancel ..." unless the identity holds scope.
Status RequireScope(const identity::Identity& who, identity::Scope scope);

// The reply to a failed authentication: 401 with
// WWW-Authenticate: Bearer error="invalid_token", error_description="...".
net::HttpResponse AuthErrorReply(const AuthError& error);

// The reply to a token caller refused for lacking scope (RequireScope's 403): adds
// WWW-Authenticate: Bearer error="insufficient_scope", scope="compute.cancel",
// error_description="..." (RFC 6750 section 3.1).
net::HttpResponse InsufficientScopeReply(const Error& error, identity::Scope scope);

// The login name of uid, or "uid<N>" if it has none.
std::string UserName(uint32_t uid);

}  // namespace gantry::api
