#include "identity/keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "identity/base64url.h"

namespace gantry::identity {
namespace {

using Json = nlohmann::json;

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

std::string BioString(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

Result<std::string> PublicPem(EVP_PKEY* key) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return Fail(Internal("cannot write a public key as PEM"));
  }
  return BioString(bio.get());
}

std::string BigNumBytes(const BIGNUM* bn, int width) {
  std::string out(static_cast<size_t>(width > 0 ? width : BN_num_bytes(bn)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  return out;
}

Result<Owned<BIGNUM>> DecodeBigNum(const Json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    return Fail(InvalidArgument(std::string("the JWK has no '") + name + "'"));
  }
  auto bytes = Base64UrlDecode(it->get<std::string>());
  if (!bytes || bytes->empty()) {
    return Fail(InvalidArgument(std::string("the JWK's '") + name + "' is not base64url"));
  }
  Owned<BIGNUM> bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                             static_cast<int>(bytes->size()), nullptr));
  if (!bn) return Fail(Internal("out of memory"));
  return bn;
}

Result<Owned<EVP_PKEY>> KeyFromParams(const char* type, OSSL_PARAM_BLD* bld) {
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld));
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Fail(InvalidArgument(std::string("the JWK is not a valid ") + type + " public key"));
  }
  return Owned<EVP_PKEY>(key);
}

Result<Owned<EVP_PKEY>> RsaFromJwk(const Json& jwk) {
  GANTRY_ASSIGN_OR_RETURN(Owned<BIGNUM> n, DecodeBigNum(jwk, "n"));
  GANTRY_ASSIGN_OR_RETURN(Owned<BIGNUM> e, DecodeBigNum(jwk, "e"));
  Owned<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return Fail(Internal("out of memory"));
  }
  GANTRY_ASSIGN_OR_RETURN(Owned<EVP_PKEY> key, KeyFromParams("RSA", bld.get()));
  // As for the server's own key (FromPrivateKey): RS256 with fewer bits is forgeable.
  if (int bits = EVP_PKEY_get_bits(key.get()); bits < 2048) {
    return Fail(InvalidArgument("an RSA key of " + std::to_string(bits) +
                                " bits (RS256 needs 2048 or more)"));
  }
  return key;
}

Result<Owned<EVP_PKEY>> EcFromJwk(const Json& jwk) {
  if (jwk.value("crv", "") != "P-256") {
    return Fail(InvalidArgument("only EC keys on P-256 are accepted (ES256)"));
  }
  GANTRY_ASSIGN_OR_RETURN(Owned<BIGNUM> x, DecodeBigNum(jwk, "x"));
  GANTRY_ASSIGN_OR_RETURN(Owned<BIGNUM> y, DecodeBigNum(jwk, "y"));
  std::string point = "\x04" + BigNumBytes(x.get(), 32) + BigNumBytes(y.get(), 32);
  Owned<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Fail(Internal("out of memory"));
  }
  return KeyFromParams("EC", bld.get());
}

// The public JWK of key, members in RFC 7638 order (nlohmann sorts keys, which is that order).
Result<Json> PublicJwk(EVP_PKEY* key, Algorithm alg) {
  Json jwk;
  if (alg == Algorithm::kRs256) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
      BN_free(n);
      return Fail(Internal("cannot read the RSA key's modulus and exponent"));
    }
    Owned<BIGNUM> own_n(n), own_e(e);
    jwk = {{"kty", "RSA"}, {"n", Base64UrlEncode(BigNumBytes(n, 0))},
           {"e", Base64UrlEncode(BigNumBytes(e, 0))}};
  } else {
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1) {
      BN_free(x);
      return Fail(Internal("cannot read the EC key's point"));
    }
    Owned<BIGNUM> own_x(x), own_y(y);
    jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", Base64UrlEncode(BigNumBytes(x, 32))},
           {"y", Base64UrlEncode(BigNumBytes(y, 32))}};
  }
  return jwk;
}

Result<SigningKey> FromPrivateKey(EVP_PKEY* key) {
  SigningKey out;
  if (EVP_PKEY_is_a(key, "RSA")) {
    if (EVP_PKEY_get_bits(key) < 2048) return Fail(InvalidArgument("RSA keys need 2048 bits"));
    out.alg = Algorithm::kRs256;
  } else if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &len) != 1 ||
        std::string_view(group) != "prime256v1") {
      return Fail(InvalidArgument("EC issuer keys must be on P-256 (ES256)"));
    }
    out.alg = Algorithm::kEs256;
  } else {
    return Fail(InvalidArgument("the issuer key is neither RSA nor EC"));
  }
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Fail(Internal("cannot write the private key as PEM"));
  }
  out.private_pem = BioString(bio.get());
  GANTRY_ASSIGN_OR_RETURN(out.public_pem, PublicPem(key));
  GANTRY_ASSIGN_OR_RETURN(Json jwk, PublicJwk(key, out.alg));
  GANTRY_ASSIGN_OR_RETURN(out.kid, JwkThumbprint(jwk.dump()));
  jwk["kid"] = out.kid;
  jwk["alg"] = AlgorithmName(out.alg);
  jwk["use"] = "sig";
  out.public_jwk = jwk.dump();
  return out;
}

}  // namespace

std::string_view AlgorithmName(Algorithm alg) {
  return alg == Algorithm::kRs256 ? "RS256" : "ES256";
}

Result<std::string> JwkThumbprint(std::string_view jwk_json) {
  Json jwk = Json::parse(jwk_json, nullptr, /*allow_exceptions=*/false);
  if (jwk.is_discarded() || !jwk.is_object()) return Fail(InvalidArgument("not a JWK"));
  std::string kty = jwk.value("kty", "");
  std::vector<const char*> members;
  if (kty == "RSA") members = {"e", "kty", "n"};
  if (kty == "EC") members = {"crv", "kty", "x", "y"};
  if (members.empty()) return Fail(InvalidArgument("kty '" + kty + "' is not RSA or EC"));
  Json required = Json::object();  // nlohmann orders members lexicographically, as 7638 asks
  for (const char* member : members) {
    if (!jwk.contains(member) || !jwk[member].is_string()) {
      return Fail(InvalidArgument(std::string("the JWK has no '") + member + "'"));
    }
    required[member] = jwk[member];
  }
  std::string canonical = required.dump();
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

Result<std::vector<PublicKey>> ParseJwks(std::string_view json) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return Fail(InvalidArgument("a JWKS is a JSON object with a \"keys\" array"));
  }
  std::vector<PublicKey> keys;
  std::string skipped;
  for (const Json& jwk : doc["keys"]) {
    if (!jwk.is_object() || jwk.value("use", "sig") != "sig") continue;
    std::string kty = jwk.value("kty", "");
    PublicKey key;
    key.kid = jwk.contains("kid") && jwk["kid"].is_string() ? jwk["kid"].get<std::string>() : "";
    Result<Owned<EVP_PKEY>> pkey = Fail(InvalidArgument("kty '" + kty + "' is not RSA or EC"));
    if (kty == "RSA") {
      key.alg = Algorithm::kRs256;
      pkey = RsaFromJwk(jwk);
    } else if (kty == "EC") {
      key.alg = Algorithm::kEs256;
      pkey = EcFromJwk(jwk);
    }
    if (!pkey) {
      skipped += " key '" + key.kid + "': " + pkey.error().message() + ";";
      continue;
    }
    GANTRY_ASSIGN_OR_RETURN(key.pem, PublicPem(pkey->get()));
    keys.push_back(std::move(key));
  }
  if (keys.empty()) return Fail(InvalidArgument("the JWKS has no usable RS256 or ES256 key;" + skipped));
  return keys;
}

Result<std::vector<PublicKey>> LoadJwksFile(const std::string& path) {
  GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto keys = ParseJwks(text);
  if (!keys) return Fail(keys.error().Wrap(path));
  return keys;
}

Result<SigningKey> GenerateSigningKey(Algorithm alg) {
  EVP_PKEY* key = alg == Algorithm::kRs256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!key) return Fail(Internal("cannot generate a signing key"));
  Owned<EVP_PKEY> owned(key);
  return FromPrivateKey(key);
}

Result<SigningKey> SigningKeyFromPem(std::string_view private_pem) {
  Owned<BIO> bio(BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!key) return Fail(InvalidArgument("not a PEM private key"));
  Owned<EVP_PKEY> owned(key);
  return FromPrivateKey(key);
}

Result<SigningKey> LoadOrCreateSigningKey(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (st.st_mode & 077) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%03o", st.st_mode & 0777);
      return Fail(PermissionDenied(path + " has mode " + mode +
                                   ": others could mint tokens with it; chmod 600 it"));
    }
    GANTRY_ASSIGN_OR_RETURN(std::string pem, ReadFile(path));
    auto key = SigningKeyFromPem(pem);
    if (!key) return Fail(key.error().Wrap(path));
    return key;
  }
  GANTRY_ASSIGN_OR_RETURN(SigningKey key, GenerateSigningKey(Algorithm::kEs256));
  GANTRY_RETURN_IF_ERROR(WriteFileAtomic(path, key.private_pem, 0600));
  return key;
}

std::string JwksJson(const std::vector<SigningKey>& keys) {
  Json doc = {{"keys", Json::array()}};
  for (const SigningKey& key : keys) doc["keys"].push_back(Json::parse(key.public_jwk));
  return doc.dump(2) + "\n";
}

}  // namespace gantry::identity
