#include "identity/keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/temp_dir.h"
#include "identity/base64url.h"

namespace gantry::identity {
namespace {

class KeysTest : public testing::TestWithParam<Algorithm> {};

TEST_P(KeysTest, AJwksOfAGeneratedKeyGivesBackItsPublicKey) {
  auto key = GenerateSigningKey(GetParam());
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->alg, GetParam());
  auto keys = ParseJwks(JwksJson({*key}));
  ASSERT_TRUE(keys) << keys.error().message();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].kid, key->kid);
  EXPECT_EQ((*keys)[0].alg, GetParam());
  EXPECT_EQ((*keys)[0].pem, key->public_pem);
}

TEST_P(KeysTest, APrivatePemReadsBackToTheSameKey) {
  auto key = GenerateSigningKey(GetParam());
  ASSERT_TRUE(key);
  auto again = SigningKeyFromPem(key->private_pem);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->kid, key->kid);
  EXPECT_EQ(again->public_pem, key->public_pem);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, KeysTest, testing::Values(Algorithm::kRs256, Algorithm::kEs256),
                         [](const testing::TestParamInfo<Algorithm>& info) {
                           return std::string(AlgorithmName(info.param));
                         });

TEST(JwksTest, KidIsTheRfc7638Thumbprint) {
  // The example key of RFC 7638 section 3.1 and the thumbprint it gives.
  auto kid = JwkThumbprint(R"({"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"})");
  ASSERT_TRUE(kid) << kid.error().message();
  EXPECT_EQ(*kid, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwksTest, RefusesAFileWithNoUsableKey) {
  auto keys = ParseJwks(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]})");
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message().find("no usable RS256 or ES256 key"), std::string::npos);
  EXPECT_FALSE(ParseJwks("[]"));
  EXPECT_FALSE(ParseJwks("not json"));
}

TEST(JwksTest, RefusesAnRsaKeyShorterThan2048Bits) {
  // A 1024-bit modulus (high bit set) and e = 65537: parseable, but forgeable under RS256.
  std::string n(128, '\x5a');
  n[0] = '\xc1';
  std::string jwks = R"({"keys":[{"kty":"RSA","kid":"short","e":"AQAB","n":")" +
                     Base64UrlEncode(n) + R"("}]})";
  auto keys = ParseJwks(jwks);
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message().find("key 'short': an RSA key of 1024 bits (RS256 needs 2048 or more)"),
            std::string::npos)
      << keys.error().message();
}

TEST(SigningKeyFileTest, IsCreatedOnceWithMode0600AndReadBack) {
  TempDir dir;
  auto first = LoadOrCreateSigningKey(dir.File("issuer.key"));
  ASSERT_TRUE(first) << first.error().message();
  struct stat st;
  ASSERT_EQ(stat(dir.File("issuer.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = LoadOrCreateSigningKey(dir.File("issuer.key"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->kid, first->kid);
  EXPECT_EQ(second->alg, Algorithm::kEs256);
}

TEST(SigningKeyFileTest, AKeyFileOthersCanReadIsRefused) {
  TempDir dir;
  ASSERT_TRUE(LoadOrCreateSigningKey(dir.File("issuer.key")));
  ASSERT_EQ(chmod(dir.File("issuer.key").c_str(), 0644), 0);
  auto key = LoadOrCreateSigningKey(dir.File("issuer.key"));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(key.error().message().find("mode 644"), std::string::npos) << key.error().message();
}

}  // namespace
}  // namespace gantry::identity
