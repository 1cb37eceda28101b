// Verifies bearer tokens against the configured issuers and their keys (no network: keys
// come from JWKS files), then validates the claims against the injected Clock.
// Thread-safe (immutable after construction).
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "identity/claims.h"
#include "identity/identity.h"
#include "identity/keys.h"
#include "identity/token_error.h"

namespace gantry::identity {

struct TrustedIssuer {
  std::string issuer;  // exactly the token's "iss"
  std::vector<PublicKey> keys;
  std::string vo;      // the VO of its tokens when wlcg.groups names none ("" = none)
};

class Verifier {
 public:
  Verifier() = default;
  Verifier(std::vector<TrustedIssuer> issuers, ValidationOptions options)
      : issuers_(std::move(issuers)), options_(std::move(options)) {}

  // The first failure of: presence, shape, algorithm, issuer, key, signature, claims.
  std::expected<Identity, TokenError> Verify(std::string_view token, const Clock& clock) const;

  const std::vector<TrustedIssuer>& issuers() const { return issuers_; }
  const ValidationOptions& options() const { return options_; }

 private:
  std::vector<TrustedIssuer> issuers_;
  ValidationOptions options_;
};

}  // namespace gantry::identity
