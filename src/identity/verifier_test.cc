#include "identity/verifier.h"

#include <gtest/gtest.h>
#include <jwt.h>

#include <cstdlib>

#include "identity/base64url.h"
#include "identity/jwt.h"
#include "identity/mint.h"

namespace gantry::identity {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr char kIssuer[] = "https://iam.example.org/";

// Keys are made once per run: RSA generation takes a while.
struct Keys {
  SigningKey rsa = *GenerateSigningKey(Algorithm::kRs256);
  SigningKey ec = *GenerateSigningKey(Algorithm::kEs256);
  SigningKey stranger = *GenerateSigningKey(Algorithm::kEs256);
};
const Keys& TestKeys() {
  static const Keys* keys = new Keys();
  return *keys;
}

Verifier MakeVerifier() {
  auto keys = ParseJwks(JwksJson({TestKeys().rsa, TestKeys().ec}));
  return Verifier({{kIssuer, *keys, "cms"}}, ValidationOptions{{"gantry"}, 60});
}

Claims GoodClaims() {
  Claims c;
  c.iss = kIssuer;
  c.sub = "alice";
  c.aud = {"gantry"};
  c.iat = kNow - 10;
  c.nbf = kNow - 10;
  c.exp = kNow + 3600;
  c.jti = "jti-1";
  c.wlcg_ver = "1.0";
  c.groups = {"/cms", "/cms/Role=production"};
  c.scope = "compute.read compute.create";
  return c;
}

std::string Sign(const SigningKey& key, const Claims& claims) {
  auto token = SignToken(key, claims);
  EXPECT_TRUE(token) << token.error().message();
  return token.value_or("");
}

std::string Edited(void (*edit)(Claims&)) {
  Claims c = GoodClaims();
  edit(c);
  return Sign(TestKeys().ec, c);
}

// A token with a hand-made header and no real signature.
std::string Forged(std::string_view header, std::string_view signature = "") {
  return Base64UrlEncode(header) + "." + Base64UrlEncode(ClaimsToJson(GoodClaims())) + "." +
         std::string(signature);
}

// The classic algorithm-confusion forgery: HS256 keyed with the issuer's public key PEM.
std::string HmacWithPublicKey() {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  const std::string& pem = TestKeys().rsa.public_pem;
  jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(pem.data()),
              static_cast<int>(pem.size()));
  jwt_add_grants_json(jwt, ClaimsToJson(GoodClaims()).c_str());
  char* encoded = jwt_encode_str(jwt);
  std::string out = encoded ? encoded : "";
  free(encoded);
  jwt_free(jwt);
  return out;
}

std::string WithFlippedSignatureByte(std::string token) {
  size_t at = token.rfind('.') + 5;
  token[at] = token[at] == 'A' ? 'B' : 'A';
  return token;
}

struct BadToken {
  const char* name;
  std::string (*make)();
  TokenProblem problem;
  const char* message;  // a prefix of the message
};

class BadTokenTest : public testing::TestWithParam<BadToken> {};

TEST_P(BadTokenTest, IsRefusedWithThePreciseError) {
  FakeClock clock(kNow * kMicrosPerSecond);
  auto identity = MakeVerifier().Verify(GetParam().make(), clock);
  ASSERT_FALSE(identity);
  EXPECT_EQ(TokenProblemName(identity.error().problem), TokenProblemName(GetParam().problem));
  EXPECT_TRUE(identity.error().message.starts_with(GetParam().message))
      << identity.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, BadTokenTest,
    testing::Values(
        BadToken{"missing", [] { return std::string(); }, TokenProblem::kMissing, "no token"},
        BadToken{"expired", [] { return Edited([](Claims& c) { c.exp = kNow - 3600; }); },
                 TokenProblem::kExpired, "the token expired at 2027-01-15T07:00:00Z"},
        BadToken{"not_yet_valid", [] { return Edited([](Claims& c) { c.nbf = kNow + 3600; }); },
                 TokenProblem::kNotYetValid, "the token is not valid before 2027-01-15T09:00:00Z"},
        BadToken{"bad_signature", [] { return WithFlippedSignatureByte(Edited([](Claims&) {})); },
                 TokenProblem::kBadSignature,
                 "the token's signature does not verify with the key of "
                 "'https://iam.example.org/'"},
        BadToken{"signed_by_another_key_under_a_trusted_kid",
                 [] {
                   SigningKey impostor = TestKeys().stranger;
                   impostor.kid = TestKeys().ec.kid;
                   return Sign(impostor, GoodClaims());
                 },
                 TokenProblem::kBadSignature, "the token's signature does not verify"},
        BadToken{"payload_changed_after_signing",
                 [] {
                   std::string token = Edited([](Claims&) {});
                   size_t first = token.find('.'), second = token.rfind('.');
                   Claims c = GoodClaims();
                   c.sub = "root";
                   return token.substr(0, first + 1) + Base64UrlEncode(ClaimsToJson(c)) +
                          token.substr(second);
                 },
                 TokenProblem::kBadSignature, "the token's signature does not verify"},
        BadToken{"unknown_kid",
                 [] { return Sign(TestKeys().stranger, GoodClaims()); }, TokenProblem::kUnknownKey,
                 "the issuer 'https://iam.example.org/' has no ES256 key with kid"},
        BadToken{"wrong_audience",
                 [] { return Edited([](Claims& c) { c.aud = {"https://other.example/"}; }); },
                 TokenProblem::kWrongAudience,
                 "the token is for audience 'https://other.example/', not this server"},
        BadToken{"unknown_issuer",
                 [] { return Edited([](Claims& c) { c.iss = "https://evil.example/"; }); },
                 TokenProblem::kUnknownIssuer,
                 "the issuer 'https://evil.example/' is not trusted here"},
        BadToken{"malformed_two_parts", [] { return std::string("abc.def"); },
                 TokenProblem::kMalformed, "the token is malformed: a JWT has three parts"},
        BadToken{"malformed_base64", [] { return std::string("a*c.def.ghi"); },
                 TokenProblem::kMalformed, "the token is malformed: a part is not base64url"},
        BadToken{"malformed_header_json",
                 [] { return Forged("{not json", "c2ln"); }, TokenProblem::kMalformed,
                 "the token is malformed: the header is not a JSON object"},
        BadToken{"malformed_claim_type",
                 [] {
                   return Base64UrlEncode(R"({"alg":"ES256"})") + "." +
                          Base64UrlEncode(R"({"iss":"x","exp":"soon"})") + ".c2ln";
                 },
                 TokenProblem::kMalformed, "the token is malformed: exp is not a number"},
        BadToken{"alg_none", [] { return Forged(R"({"alg":"none","typ":"JWT"})"); },
                 TokenProblem::kBadAlgorithm,
                 "the token's alg 'none' (an unsigned token) is not accepted"},
        BadToken{"alg_hs256_keyed_with_the_public_key", HmacWithPublicKey,
                 TokenProblem::kBadAlgorithm,
                 "the token's alg 'HS256' (a shared-secret MAC) is not accepted"},
        BadToken{"alg_rs512", [] { return Forged(R"({"alg":"RS512"})", "c2ln"); },
                 TokenProblem::kBadAlgorithm, "the token's alg 'RS512' is not accepted"},
        BadToken{"no_subject", [] { return Edited([](Claims& c) { c.sub.clear(); }); },
                 TokenProblem::kMissingClaim, "the token has no 'sub' claim"}),
    [](const testing::TestParamInfo<BadToken>& info) { return info.param.name; });

class GoodTokenTest : public testing::TestWithParam<Algorithm> {};

TEST_P(GoodTokenTest, VerifiesAndGivesTheIdentity) {
  const SigningKey& key = GetParam() == Algorithm::kRs256 ? TestKeys().rsa : TestKeys().ec;
  FakeClock clock(kNow * kMicrosPerSecond);
  auto identity = MakeVerifier().Verify(Sign(key, GoodClaims()), clock);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->kind, Kind::kToken);
  EXPECT_EQ(identity->subject, "alice");
  EXPECT_EQ(identity->issuer, kIssuer);
  EXPECT_EQ(identity->vo, "cms");
  EXPECT_EQ(identity->groups, (std::vector<std::string>{"/cms"}));
  EXPECT_EQ(identity->roles, (std::vector<std::string>{"/cms/Role=production"}));
  EXPECT_EQ(identity->scopes.ToString(), "compute.read compute.create");
  EXPECT_EQ(identity->token_id, "jti-1");
}

INSTANTIATE_TEST_SUITE_P(Algorithms, GoodTokenTest,
                         testing::Values(Algorithm::kRs256, Algorithm::kEs256),
                         [](const testing::TestParamInfo<Algorithm>& info) {
                           return std::string(AlgorithmName(info.param));
                         });

TEST(VerifierTest, ATokenWithoutKidIsCheckedAgainstTheIssuersKeysOfItsType) {
  SigningKey no_kid = TestKeys().rsa;
  no_kid.kid = "";
  std::string token = Sign(no_kid, GoodClaims());
  ASSERT_TRUE(DecodeToken(token)->kid.empty());
  FakeClock clock(kNow * kMicrosPerSecond);
  EXPECT_TRUE(MakeVerifier().Verify(token, clock));
  SigningKey stranger = TestKeys().stranger;
  stranger.kid = "";
  auto refused = MakeVerifier().Verify(Sign(stranger, GoodClaims()), clock);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().problem, TokenProblem::kBadSignature);
}

TEST(VerifierTest, AnIssuerWithoutGroupsGivesItsConfiguredVo) {
  Claims c = GoodClaims();
  c.groups.clear();
  FakeClock clock(kNow * kMicrosPerSecond);
  auto identity = MakeVerifier().Verify(Sign(TestKeys().ec, c), clock);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->vo, "cms");
}

TEST(MintTest, AMintedTokenVerifiesWithTheWlcgClaims) {
  FakeClock clock(kNow * kMicrosPerSecond);
  MintRequest request{"bob", {"/atlas"}, "compute.read", 600, {}};
  auto token = MintToken(TestKeys().ec, kIssuer, request, clock);
  ASSERT_TRUE(token) << token.error().message();
  auto decoded = DecodeToken(*token);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->alg, "ES256");
  EXPECT_EQ(decoded->kid, TestKeys().ec.kid);
  EXPECT_EQ(decoded->claims.wlcg_ver, "1.0");
  EXPECT_EQ(decoded->claims.exp, kNow + 600);
  EXPECT_EQ(decoded->claims.iat, kNow);
  EXPECT_EQ(decoded->claims.jti.size(), 22u);
  auto identity = MakeVerifier().Verify(*token, clock);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->vo, "atlas");
  clock.Advance(661 * kMicrosPerSecond);
  auto later = MakeVerifier().Verify(*token, clock);
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().problem, TokenProblem::kExpired);
}

// Found by fuzz/token: libjwt's jwt_decode parses the payload too (jansson), which refuses an
// integer above INT64_MAX that JSON and ParseClaims allow, so a good signature read as bad.
TEST(VerifierTest, AGoodSignatureVerifiesWhateverThePayloadHolds) {
  FakeClock clock(kNow * kMicrosPerSecond);
  for (const SigningKey* key : {&TestKeys().rsa, &TestKeys().ec}) {
    std::string payload = ClaimsToJson(GoodClaims());
    payload.insert(1, "\"x\": 18446744073709551615, ");
    std::string header = std::string("{\"alg\":\"") + std::string(AlgorithmName(key->alg)) +
                         "\",\"kid\":\"" + key->kid + "\"}";
    auto token = SignCompact(*key, header, payload);
    ASSERT_TRUE(token) << token.error().message();
    auto identity = MakeVerifier().Verify(*token, clock);
    ASSERT_TRUE(identity) << identity.error().message;
    EXPECT_EQ(identity->subject, "alice");
    EXPECT_FALSE(MakeVerifier().Verify(WithFlippedSignatureByte(*token), clock));
  }
}

TEST(VerifierTest, AnEs256SignatureOfTheWrongLengthIsBad) {
  FakeClock clock(kNow * kMicrosPerSecond);
  std::string token = Sign(TestKeys().ec, GoodClaims());
  token.resize(token.rfind('.') + 1);
  token += Base64UrlEncode(std::string(63, 'x'));
  auto identity = MakeVerifier().Verify(token, clock);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().problem, TokenProblem::kBadSignature);
}

TEST(MintTest, TwoTokensGetDifferentJtis) {
  FakeClock clock(kNow * kMicrosPerSecond);
  MintRequest request{"bob", {}, "", 600, {}};
  auto a = DecodeToken(*MintToken(TestKeys().ec, kIssuer, request, clock));
  auto b = DecodeToken(*MintToken(TestKeys().ec, kIssuer, request, clock));
  EXPECT_NE(a->claims.jti, b->claims.jti);
}

TEST(LifetimeTest, ReadsSecondsMinutesHoursAndDays) {
  EXPECT_EQ(ParseLifetime("90").value_or(0), 90);
  EXPECT_EQ(ParseLifetime("90s").value_or(0), 90);
  EXPECT_EQ(ParseLifetime("30m").value_or(0), 1800);
  EXPECT_EQ(ParseLifetime("1h").value_or(0), 3600);
  EXPECT_EQ(ParseLifetime("7d").value_or(0), 7 * 86400);
  for (const char* bad : {"", "h", "0h", "-1h", "+1h", "1w", "1.5h", "400d"}) {
    EXPECT_FALSE(ParseLifetime(bad)) << bad;
  }
}

}  // namespace
}  // namespace gantry::identity
