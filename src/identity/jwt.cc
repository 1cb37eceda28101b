#include "identity/jwt.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

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
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using OwnedPkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using OwnedMdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

EVP_PKEY* ReadPublicKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return nullptr;
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

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
  // OpenSSL over the exact signing input, not libjwt's jwt_decode: that also parses the
  // payload (with jansson), and a payload jansson refuses (an integer above INT64_MAX, which
  // JSON and ParseClaims allow) would read as a bad signature although the signature is good.
  size_t dot = token.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view signing_input = token.substr(0, dot);
  auto signature = Base64UrlDecode(token.substr(dot + 1));
  if (!signature) return false;
  OwnedPkey pkey(ReadPublicKey(key.pem));
  if (!pkey) return false;
  bool rsa = key.alg == Algorithm::kRs256;
  if (EVP_PKEY_get_base_id(pkey.get()) != (rsa ? EVP_PKEY_RSA : EVP_PKEY_EC)) return false;
  std::string der;
  if (!rsa) {
    // JWS ES256 signatures are r || s, 32 bytes each (RFC 7518 section 3.4); OpenSSL's DER.
    if (signature->size() != 64) return false;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    const auto* bytes = reinterpret_cast<const unsigned char*>(signature->data());
    if (!sig || ECDSA_SIG_set0(sig, BN_bin2bn(bytes, 32, nullptr),
                               BN_bin2bn(bytes + 32, 32, nullptr)) != 1) {
      ECDSA_SIG_free(sig);
      return false;
    }
    unsigned char* out = nullptr;
    int n = i2d_ECDSA_SIG(sig, &out);
    ECDSA_SIG_free(sig);
    if (n <= 0) return false;
    der.assign(reinterpret_cast<char*>(out), static_cast<size_t>(n));
    OPENSSL_free(out);
  }
  const std::string& checked = rsa ? *signature : der;
  OwnedMdCtx ctx(EVP_MD_CTX_new());
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(checked.data()),
                          checked.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

Result<std::string> SignCompact(const SigningKey& key, std::string_view header_json,
                                std::string_view payload_json) {
  std::string signing_input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  BIO* bio = BIO_new_mem_buf(key.private_pem.data(), static_cast<int>(key.private_pem.size()));
  OwnedPkey pkey(bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr);
  BIO_free(bio);
  if (!pkey) return Fail(Internal("the signing key is not a PEM private key"));
  OwnedMdCtx ctx(EVP_MD_CTX_new());
  size_t n = 0;
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &n, input, signing_input.size()) != 1) {
    return Fail(Internal("OpenSSL could not sign the token"));
  }
  std::string signature(n, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &n, input,
                     signing_input.size()) != 1) {
    return Fail(Internal("OpenSSL could not sign the token"));
  }
  signature.resize(n);
  if (key.alg == Algorithm::kEs256) {
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    if (!sig) return Fail(Internal("OpenSSL gave an ECDSA signature that does not parse"));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    signature = std::move(raw);
  }
  return signing_input + "." + Base64UrlEncode(signature);
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
