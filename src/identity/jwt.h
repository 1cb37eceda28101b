// JWS compact tokens: splitting and decoding (pure), signing (libjwt) and signature checks
// (OpenSSL). Thread-safe (no shared state).
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "base/error.h"
#include "identity/claims.h"
#include "identity/keys.h"
#include "identity/token_error.h"

namespace gantry::identity {

struct DecodedToken {
  std::string alg;  // header "alg", as sent
  std::string kid;  // header "kid", "" if none
  std::string header_json;
  std::string payload_json;
  Claims claims;
};

// Splits and decodes without checking the signature (`gantry token inspect` shows this).
std::expected<DecodedToken, TokenError> DecodeToken(std::string_view token);
// kBadAlgorithm unless alg is RS256 or ES256: "none" and the HMAC family are refused before
// any key is touched (an HS256 token "signed" with an issuer's public key would otherwise
// verify).
std::expected<Algorithm, TokenError> AcceptedAlgorithm(std::string_view alg);
// True if token's signature verifies with key (whose algorithm must be the token's): OpenSSL
// over the token's own signing input, whatever its payload holds.
bool SignatureValid(std::string_view token, const PublicKey& key);
// A signed compact JWS of claims, header {"alg", "typ": "JWT", "kid"} (libjwt).
Result<std::string> SignToken(const SigningKey& key, const Claims& claims);
// header_json and payload_json signed exactly as given (OpenSSL), for tests and the fuzz
// target that need tokens SignToken would not make.
Result<std::string> SignCompact(const SigningKey& key, std::string_view header_json,
                                std::string_view payload_json);

}  // namespace gantry::identity
