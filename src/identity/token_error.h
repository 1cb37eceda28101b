// Why a bearer token was refused, precisely enough for a 401's error_description and for
// tests to tell the cases apart. A plain value type.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::identity {

enum class TokenProblem {
  kMissing,           // no token presented
  kMalformed,         // not three base64url parts of JSON, or a claim of the wrong type
  kBadAlgorithm,      // alg none, HS256, ... (only RS256 and ES256 are accepted)
  kUnknownIssuer,     // iss is not a configured issuer
  kUnknownKey,        // the issuer has no key with this kid / of this type
  kBadSignature,
  kMissingClaim,      // iss, sub, exp, iat or aud absent
  kExpired,
  kNotYetValid,       // nbf (or iat) in the future
  kWrongAudience,
  kUnsupportedVersion,  // wlcg.ver other than 1.0
  kRevoked,           // its jti is listed by a `revoke` line of identity.conf
};

std::string_view TokenProblemName(TokenProblem problem);

struct TokenError {
  TokenProblem problem;
  std::string message;  // "the token expired at 2026-12-02T04:00:00Z (60 s leeway)"

  // Unauthenticated, with the message: for callers that only need a gantry::Error.
  Error ToError() const { return Unauthenticated(message); }
};

}  // namespace gantry::identity
