#include "identity/mint.h"

#include <openssl/rand.h>

#include "identity/base64url.h"
#include "identity/claims.h"
#include "identity/config.h"
#include "identity/jwt.h"

namespace gantry::identity {

Result<std::string> MintToken(const SigningKey& key, const std::string& issuer,
                              const MintRequest& request, const Clock& clock) {
  if (request.subject.empty()) return Fail(InvalidArgument("a token needs a subject"));
  if (request.lifetime_seconds <= 0) return Fail(InvalidArgument("the lifetime must be positive"));
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1) return Fail(Internal("no random bytes for jti"));
  Claims claims;
  claims.iss = issuer;
  claims.sub = request.subject;
  claims.aud = request.audience;
  if (claims.aud.empty()) claims.aud.emplace_back(kDefaultAudience);
  const int64_t now = clock.Now() / kMicrosPerSecond;
  claims.iat = now;
  claims.nbf = now;
  claims.exp = now + request.lifetime_seconds;
  claims.jti = Base64UrlEncode(std::string_view(reinterpret_cast<char*>(random), sizeof random));
  claims.wlcg_ver = std::string(kWlcgVersion);
  claims.groups = request.groups;
  claims.scope = request.scope;
  return SignToken(key, claims);
}

}  // namespace gantry::identity
