#include "identity/mint.h"

#include <openssl/rand.h>

#include "base/strings.h"
#include "identity/base64url.h"
#include "identity/claims.h"
#include "identity/config.h"
#include "identity/jwt.h"

namespace gantry::identity {

Result<int64_t> ParseLifetime(std::string_view text) {
  constexpr std::pair<char, int64_t> kUnits[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  int64_t unit = 1;
  std::string_view digits = text;
  for (auto [suffix, seconds] : kUnits) {
    if (!text.empty() && text.back() == suffix) {
      unit = seconds;
      digits.remove_suffix(1);
    }
  }
  std::optional<int64_t> n;
  if (!digits.empty() && digits[0] >= '0' && digits[0] <= '9') n = ParseInt(digits);
  if (!n || *n <= 0 || *n > 366 * 86400 / unit) {
    return Fail(InvalidArgument("'" + std::string(text) +
                                "' is not a lifetime such as 90s, 30m, 12h or 7d (at most a year)"));
  }
  return *n * unit;
}

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
