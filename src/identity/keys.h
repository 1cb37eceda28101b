// Signing keys: JWKS files (RFC 7517) of trusted issuers turned into PEM public keys that
// libjwt verifies with, and the server's own issuer key (generated on first start, 0600).
// OpenSSL does the key work; these are plain values, thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::identity {

enum class Algorithm { kRs256, kEs256 };
std::string_view AlgorithmName(Algorithm alg);  // "RS256", "ES256"

struct PublicKey {
  std::string kid;  // "" if the JWK named none
  Algorithm alg;    // RSA keys verify RS256, P-256 keys ES256
  std::string pem;  // SubjectPublicKeyInfo PEM, what libjwt takes
};

// {"keys": [{"kty": "RSA", "n", "e", "kid"}, {"kty": "EC", "crv": "P-256", "x", "y"}]}.
// Keys of other types (or "use": "enc") are skipped; none usable is an error.
Result<std::vector<PublicKey>> ParseJwks(std::string_view json);
Result<std::vector<PublicKey>> LoadJwksFile(const std::string& path);
// The RFC 7638 thumbprint of a public JWK (base64url SHA-256): the kid Gantry gives its keys.
Result<std::string> JwkThumbprint(std::string_view jwk_json);

// A private key with its public half, as PEM.
struct SigningKey {
  std::string kid;  // the RFC 7638 thumbprint of the public JWK
  Algorithm alg;
  std::string private_pem;
  std::string public_pem;
  std::string public_jwk;  // JSON of one JWK, kid and alg included
};

Result<SigningKey> GenerateSigningKey(Algorithm alg);
Result<SigningKey> SigningKeyFromPem(std::string_view private_pem);
// Reads path, or generates an ES256 key and writes it there with mode 0600 (an existing
// file readable by others is refused: it would let them mint tokens).
Result<SigningKey> LoadOrCreateSigningKey(const std::string& path);
// {"keys": [...]} for the given keys' public halves: what trusted issuers' files hold.
std::string JwksJson(const std::vector<SigningKey>& keys);

}  // namespace gantry::identity
