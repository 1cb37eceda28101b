// The claims of a WLCG Common JWT profile token (v1.0) and their validation against a
// Clock: pure (no crypto here; the signature is checked in verifier.cc before these are
// trusted). Plain value types.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "identity/identity.h"
#include "identity/scope.h"
#include "identity/token_error.h"

namespace gantry::identity {

// The audience every WLCG relying party accepts (profile section "aud").
inline constexpr std::string_view kAnyAudience = "https://wlcg.cern.ch/jwt/v1/any";
inline constexpr std::string_view kWlcgVersion = "1.0";

struct Claims {
  std::string iss;
  std::string sub;
  std::vector<std::string> aud;  // a string or an array in the token
  std::optional<int64_t> exp, nbf, iat;  // seconds since the epoch
  std::string jti;
  std::string wlcg_ver;
  std::vector<std::string> groups;  // wlcg.groups
  std::string scope;                // space-separated, as sent
};

// Parses a JWT payload (JSON text). Type errors are kMalformed; absent claims stay empty.
std::expected<Claims, TokenError> ParseClaims(std::string_view json);
// The payload JSON for minting (claims left empty are omitted).
std::string ClaimsToJson(const Claims& claims);

struct ValidationOptions {
  std::vector<std::string> audiences;  // this server's names; kAnyAudience always accepted
  int64_t leeway_seconds = 60;         // clock skew allowed on exp, nbf, iat
  std::vector<std::string> revoked;    // jtis refused however valid (one agent's credential)
};

// exp, nbf, iat against clock.Now(); aud against options; presence of iss, sub, exp, iat
// and aud; wlcg.ver 1.0 when present; jti not revoked. The first failure in that order is
// returned.
std::expected<void, TokenError> ValidateClaims(const Claims& claims,
                                               const ValidationOptions& options,
                                               const Clock& clock);

// A token Identity from validated claims (groups, roles and VO from wlcg.groups).
Identity IdentityFromClaims(const Claims& claims, Kind kind = Kind::kToken);

}  // namespace gantry::identity
