// The bearer-token path of every TCP request, up to (not including) the account database:
// the Authorization header value -> a verified, unrevoked token identity with the local
// account its work runs as (the gridmap's, a pool account leased to the subject for a
// gridmap pool line, or the subject for the built-in issuer), or, for
// an agent's credential, an identity of kind kAgent. The API (api/auth.cc) and the token
// fuzz target (fuzz/token/) both run exactly this. Thread-safe (reads shared, immutable
// state; Revocations and AccountPools lock their own).
#pragma once

#include <expected>
#include <optional>
#include <string_view>

#include "base/clock.h"
#include "base/error.h"
#include "identity/identity.h"
#include "identity/pool.h"
#include "identity/revocations.h"
#include "identity/site.h"
#include "identity/token_error.h"

namespace gantry::identity {

// Why a bearer credential was refused: Unauthenticated (a 401, with the token problem for
// its WWW-Authenticate challenge) or PermissionDenied (a 403: valid, but no account).
struct BearerError {
  Error error;
  std::optional<TokenProblem> problem;
};

struct BearerContext {
  const Site* site = nullptr;                // trust, gridmap; null: no tokens accepted
  const Clock* clock = nullptr;              // required
  const Revocations* revocations = nullptr;  // revoked while running; null: none
  AccountPools* pools = nullptr;  // leases for gridmap pool lines (".dteam"); null: refused
};

// "Bearer <token>" with the scheme in any case (RFC 7235 section 2.1) -> the token, trimmed;
// nullopt for any other shape.
std::optional<std::string_view> BearerTokenOf(std::string_view authorization);

// authorization is the header's value ("" when the request has none).
std::expected<Identity, BearerError> AuthenticateBearer(std::string_view authorization,
                                                        const BearerContext& context);

}  // namespace gantry::identity
