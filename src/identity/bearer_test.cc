#include "identity/bearer.h"

#include <gtest/gtest.h>

#include "identity/jwt.h"
#include "identity/mint.h"

namespace gantry::identity {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr char kOwn[] = "https://node1/gantry";
constexpr char kIam[] = "https://iam.example.org/";

struct Keys {
  SigningKey own = *GenerateSigningKey(Algorithm::kEs256);
  SigningKey iam = *GenerateSigningKey(Algorithm::kEs256);
};
const Keys& TestKeys() {
  static const Keys* keys = new Keys();
  return *keys;
}

class BearerTest : public ::testing::Test {
 protected:
  BearerTest() {
    site_.issuer = kOwn;
    site_.verifier = Verifier({{kOwn, *ParseJwks(JwksJson({TestKeys().own})), ""},
                               {kIam, *ParseJwks(JwksJson({TestKeys().iam})), "cms"}},
                              ValidationOptions{{"gantry"}, 60, {}});
    site_.gridmap = *Gridmap::Parse(
        "\"https://iam.example.org/ alice-sub\" alice\n"
        "/cms cms001\n");
  }

  std::string Token(const SigningKey& key, const char* issuer, MintRequest request) {
    auto token = MintToken(key, issuer, request, clock_);
    EXPECT_TRUE(token) << token.error().message();
    return "Bearer " + token.value_or("");
  }

  std::expected<Identity, BearerError> Authenticate(std::string_view header) {
    return AuthenticateBearer(header, BearerContext{&site_, &clock_, nullptr});
  }

  Site site_;
  FakeClock clock_{kNow * kMicrosPerSecond};
};

TEST_F(BearerTest, NoHeaderIsAMissingToken) {
  auto out = Authenticate("");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().problem, TokenProblem::kMissing);
  EXPECT_EQ(out.error().error.code(), ErrorCode::kUnauthenticated);
}

TEST_F(BearerTest, AnotherSchemeIsMalformed) {
  for (std::string_view header : {"Basic YWxpY2U6cHc=", "Bearer", "Bearerx abc", "Token abc"}) {
    auto out = Authenticate(header);
    ASSERT_FALSE(out) << header;
    EXPECT_EQ(out.error().problem, TokenProblem::kMalformed) << header;
  }
}

TEST_F(BearerTest, TheSchemeIsCaseInsensitiveAndTheTokenTrimmed) {
  std::string token = Token(TestKeys().own, kOwn, {.subject = "bob", .scope = "compute.read"});
  auto out = Authenticate("bEaReR   " + token.substr(7) + "  ");
  ASSERT_TRUE(out) << out.error().error.message();
  EXPECT_EQ(out->local_account, "bob");
}

TEST_F(BearerTest, AnEmptyBearerTokenIsMissing) {
  auto out = Authenticate("Bearer    ");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().problem, TokenProblem::kMissing);
}

TEST_F(BearerTest, TheGridmapNamesTheAccountOfAForeignIssuersToken) {
  auto alice = Authenticate(Token(TestKeys().iam, kIam, {.subject = "alice-sub"}));
  ASSERT_TRUE(alice) << alice.error().error.message();
  EXPECT_EQ(alice->local_account, "alice");
  EXPECT_EQ(alice->source, "token:alice-sub@https://iam.example.org/");
  auto member = Authenticate(Token(TestKeys().iam, kIam, {.subject = "x", .groups = {"/cms"}}));
  ASSERT_TRUE(member) << member.error().error.message();
  EXPECT_EQ(member->local_account, "cms001");
}

TEST_F(BearerTest, AnUnmappedForeignTokenIsRefusedWithoutATokenProblem) {
  auto out = Authenticate(Token(TestKeys().iam, kIam, {.subject = "erin", .groups = {"/atlas"}}));
  ASSERT_FALSE(out);
  EXPECT_FALSE(out.error().problem);
  EXPECT_EQ(out.error().error.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(out.error().error.message().find("no local account"), std::string::npos);
}

TEST_F(BearerTest, AnAgentCredentialIsAnAgentWithNoAccount) {
  auto out =
      Authenticate(Token(TestKeys().own, kOwn, {.subject = "agent-n7", .scope = "gantry.agent"}));
  ASSERT_TRUE(out) << out.error().error.message();
  EXPECT_EQ(out->kind, Kind::kAgent);
  EXPECT_EQ(out->local_account, "");
  EXPECT_EQ(out->source, "agent:agent-n7@https://node1/gantry");
}

TEST_F(BearerTest, AKeyOfAnotherIssuerIsAnUnknownKey) {
  auto out = Authenticate(Token(TestKeys().iam, kOwn, {.subject = "bob"}));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().problem, TokenProblem::kUnknownKey);
  EXPECT_EQ(out.error().error.code(), ErrorCode::kUnauthenticated);
}

TEST_F(BearerTest, NoSiteAcceptsNoTokens) {
  auto out = AuthenticateBearer("Bearer a.b.c", BearerContext{nullptr, &clock_, nullptr});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error.code(), ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace gantry::identity
