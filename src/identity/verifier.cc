#include "identity/verifier.h"

#include "identity/jwt.h"

namespace gantry::identity {

std::expected<Identity, TokenError> Verifier::Verify(std::string_view token,
                                                     const Clock& clock) const {
  if (token.empty()) return std::unexpected(TokenError{TokenProblem::kMissing, "no token"});
  auto decoded = DecodeToken(token);
  if (!decoded) return std::unexpected(decoded.error());
  auto alg = AcceptedAlgorithm(decoded->alg);
  if (!alg) return std::unexpected(alg.error());
  const Claims& claims = decoded->claims;
  if (claims.iss.empty()) {
    return std::unexpected(TokenError{TokenProblem::kMissingClaim, "the token has no 'iss' claim"});
  }
  const TrustedIssuer* issuer = nullptr;
  for (const TrustedIssuer& candidate : issuers_) {
    if (candidate.issuer == claims.iss) issuer = &candidate;
  }
  if (!issuer) {
    return std::unexpected(TokenError{TokenProblem::kUnknownIssuer,
                                      "the issuer '" + claims.iss + "' is not trusted here"});
  }
  // With a kid, that key only; without one, any key of the token's type (single-key issuers
  // often omit kid).
  bool any_key = false;
  bool verified = false;
  for (const PublicKey& key : issuer->keys) {
    if (key.alg != *alg || (!decoded->kid.empty() && key.kid != decoded->kid)) continue;
    any_key = true;
    if (SignatureValid(token, key)) {
      verified = true;
      break;
    }
  }
  if (!any_key) {
    return std::unexpected(TokenError{
        TokenProblem::kUnknownKey, "the issuer '" + claims.iss + "' has no " + decoded->alg +
                                       " key" +
                                       (decoded->kid.empty() ? "" : " with kid '" + decoded->kid + "'")});
  }
  if (!verified) {
    return std::unexpected(TokenError{TokenProblem::kBadSignature,
                                      "the token's signature does not verify with the key of '" +
                                          claims.iss + "'"});
  }
  auto valid = ValidateClaims(claims, options_, clock);
  if (!valid) return std::unexpected(valid.error());
  Identity identity = IdentityFromClaims(claims);
  if (identity.vo.empty()) identity.vo = issuer->vo;
  return identity;
}

}  // namespace gantry::identity
