// Minting tokens with the server's own issuer key: the built-in IAM for sites without one,
// for `gantry up`'s own user, for agents and for tests. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "identity/keys.h"

namespace gantry::identity {

struct MintRequest {
  std::string subject;
  std::vector<std::string> groups;  // wlcg.groups: "/cms", "/cms/Role=production"
  std::string scope;                // "compute.read compute.create"
  int64_t lifetime_seconds = 3600;
  std::vector<std::string> audience;  // empty: the issuer's default audience
};

// "90", "90s", "30m", "12h", "7d" -> seconds (positive).
Result<int64_t> ParseLifetime(std::string_view text);

// A WLCG profile v1.0 token: iss, sub, aud, exp, nbf, iat, a random jti, wlcg.ver,
// wlcg.groups and scope.
Result<std::string> MintToken(const SigningKey& key, const std::string& issuer,
                              const MintRequest& request, const Clock& clock);

}  // namespace gantry::identity
