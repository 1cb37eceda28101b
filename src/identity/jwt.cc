#include "identity/jwt.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "identity/base64url.h"

namespace gantry::identity {
namespace {

using Json = nlohmann::json;

struct JwtFree {
  void operator()(jwt_t* p) const { jwt_free(p); }
};
using OwnedJwt = std::unique_ptr<jwt_t, JwtFree>;

TokenError Malformed(std::string what) {
  return {TokenProblem::kMalformed, "the token is malformed: " + what};
}

}  // namespace

std::expected<DecodedToken, TokenError> DecodeToken(std::string_view token) {
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::unexpected(Malformed("a JWT has three parts separated by '.'"));
  }
  auto header = Base64UrlDecode(token.substr(0, first));
  auto payload = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  if (!header || !payload) return std::unexpected(Malformed("a part is not base64url"));
  Json head = Json::parse(*header, nullptr, /*allow_exceptions=*/false);
  if (head.is_discarded() || !head.is_object()) {
    return std::unexpected(Malformed("the header is not a JSON object"));
  }
  if (!head.contains("alg") || !head["alg"].is_string()) {
    return std::unexpected(Malformed("the header names no 'alg'"));
  }
  DecodedToken out;
  out.alg = head["alg"].get<std::string>();
  if (head.contains("kid") && head["kid"].is_string()) out.kid = head["kid"].get<std::string>();
  out.header_json = std::move(*header);
  out.payload_json = std::move(*payload);
  auto claims = ParseClaims(out.payload_json);
  if (!claims) return std::unexpected(claims.error());
  out.claims = std::move(*claims);
  return out;
}

std::expected<Algorithm, TokenError> AcceptedAlgorithm(std::string_view alg) {
  if (alg == "RS256") return Algorithm::kRs256;
  if (alg == "ES256") return Algorithm::kEs256;
  std::string why = alg == "none"         ? " (an unsigned token)"
                    : alg.starts_with("HS") ? " (a shared-secret MAC)"
                                            : "";
  return std::unexpected(TokenError{TokenProblem::kBadAlgorithm,
                                    "the token's alg '" + std::string(alg) + "'" + why +
                                        " is not accepted; tokens must be signed RS256 or ES256"});
}

bool SignatureValid(std::string_view token, const PublicKey& key) {
  std::string text(token);
  jwt_t* raw = nullptr;
  // libjwt takes the algorithm from the header; AcceptedAlgorithm and the key choice in the
  // verifier have already tied it to this key's type.
  int rc = jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key.pem.data()),
                      static_cast<int>(key.pem.size()));
  OwnedJwt jwt(raw);
  if (rc != 0 || !jwt) return false;
  jwt_alg_t alg = jwt_get_alg(jwt.get());
  return alg == (key.alg == Algorithm::kRs256 ? JWT_ALG_RS256 : JWT_ALG_ES256);
}

Result<std::string> SignToken(const SigningKey& key, const Claims& claims) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return Fail(Internal("out of memory"));
  OwnedJwt jwt(raw);
  jwt_alg_t alg = key.alg == Algorithm::kRs256 ? JWT_ALG_RS256 : JWT_ALG_ES256;
  std::string payload = ClaimsToJson(claims);
  if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.private_pem.data()),
                  static_cast<int>(key.private_pem.size())) != 0 ||
      (!key.kid.empty() && jwt_add_header(jwt.get(), "kid", key.kid.c_str()) != 0) ||
      jwt_add_grants_json(jwt.get(), payload.c_str()) != 0) {
    return Fail(Internal("libjwt refused the token's header or claims"));
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (!encoded) return Fail(Internal("libjwt could not sign the token"));
  std::string out(encoded);
  free(encoded);  // libjwt 1.10 allocates with malloc and has no jwt_free_str
  return out;
}

}  // namespace gantry::identity
