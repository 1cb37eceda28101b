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
#include "broker/types.h"
#include "identity/identity.h"
#include "identity/site.h"
#include "identity/token_error.h"
#include "net/http_types.h"

namespace gantry::api {

struct AuthConfig {
  uint32_t server_uid = 0;  // the server's own user: admin of its server, as is root
  uint32_t server_gid = 0;
  const identity::Site* site = nullptr;  // trust, VO file, policy, gridmap; null: no tokens
  const Clock* clock = nullptr;          // for token validity; null: the system clock
};

// The caller as identity/ knows them, and as the broker does (uid, name, admin, source).
// The broker still takes a Caller: its journal source is the identity ("token:alice@iss").
struct AuthedCaller {
  identity::Identity identity;
  broker::Caller caller;
};

// Why authentication failed: a token problem (for the 401 challenge) or another error.
struct AuthError {
  Error error;
  std::optional<identity::TokenProblem> token_problem;
};

std::expected<AuthedCaller, AuthError> Authenticate(const net::HttpRequest& request,
                                              const AuthConfig& config);

// 403 "the token lacks the scope compute.cancel ..." unless the identity holds scope.
Status RequireScope(const identity::Identity& who, identity::Scope scope);

// The reply to a failed authentication: 401 with
// WWW-Authenticate: Bearer error="invalid_token", error_description="...".
net::HttpResponse AuthErrorReply(const AuthError& error);

// The login name of uid, or "uid<N>" if it has none.
std::string UserName(uint32_t uid);

}  // namespace gantry::api
