#include "identity/claims.h"

#include <gtest/gtest.h>

namespace gantry::identity {
namespace {

constexpr int64_t kNow = 1'800'000'000;

Claims Good() {
  Claims c;
  c.iss = "https://iam.example.org/";
  c.sub = "alice";
  c.aud = {"gantry"};
  c.iat = kNow - 10;
  c.nbf = kNow - 10;
  c.exp = kNow + 3600;
  c.wlcg_ver = "1.0";
  return c;
}

struct ClaimsCase {
  const char* name;
  void (*edit)(Claims&);
  TokenProblem problem;
  const char* message;
};

class ValidateClaimsTest : public testing::TestWithParam<ClaimsCase> {};

TEST_P(ValidateClaimsTest, GivesThePreciseProblem) {
  Claims claims = Good();
  GetParam().edit(claims);
  FakeClock clock(kNow * kMicrosPerSecond);
  auto result = ValidateClaims(claims, ValidationOptions{{"gantry"}, 60, {"jti-revoked"}}, clock);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().problem, GetParam().problem);
  EXPECT_EQ(result.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidateClaimsTest,
    testing::Values(
        ClaimsCase{"expired", [](Claims& c) { c.exp = kNow - 61; }, TokenProblem::kExpired,
                   "the token expired at 2027-01-15T07:58:59Z (now 2027-01-15T08:00:00Z, 60 s "
                   "leeway)"},
        ClaimsCase{"not_yet_valid", [](Claims& c) { c.nbf = kNow + 61; },
                   TokenProblem::kNotYetValid,
                   "the token is not valid before 2027-01-15T08:01:01Z (now "
                   "2027-01-15T08:00:00Z)"},
        ClaimsCase{"issued_in_future", [](Claims& c) { c.iat = kNow + 61; },
                   TokenProblem::kNotYetValid,
                   "the token was issued in the future, at 2027-01-15T08:01:01Z (now "
                   "2027-01-15T08:00:00Z)"},
        ClaimsCase{"wrong_audience", [](Claims& c) { c.aud = {"https://other.example/"}; },
                   TokenProblem::kWrongAudience,
                   "the token is for audience 'https://other.example/', not this server "
                   "('gantry')"},
        ClaimsCase{"no_iss", [](Claims& c) { c.iss.clear(); }, TokenProblem::kMissingClaim,
                   "the token has no 'iss' claim"},
        ClaimsCase{"no_sub", [](Claims& c) { c.sub.clear(); }, TokenProblem::kMissingClaim,
                   "the token has no 'sub' claim"},
        ClaimsCase{"no_exp", [](Claims& c) { c.exp.reset(); }, TokenProblem::kMissingClaim,
                   "the token has no 'exp' claim"},
        ClaimsCase{"no_aud", [](Claims& c) { c.aud.clear(); }, TokenProblem::kMissingClaim,
                   "the token has no 'aud' claim"},
        ClaimsCase{"revoked", [](Claims& c) { c.jti = "jti-revoked"; }, TokenProblem::kRevoked,
                   "the token jti-revoked of alice was revoked"},
        ClaimsCase{"version_2", [](Claims& c) { c.wlcg_ver = "2.0"; },
                   TokenProblem::kUnsupportedVersion,
                   "wlcg.ver is '2.0'; this server reads 1.0"}),
    [](const testing::TestParamInfo<ClaimsCase>& info) { return info.param.name; });

TEST(ValidateClaimsTest, AcceptsWithinTheLeewayAndTheAnyAudience) {
  Claims c = Good();
  c.exp = kNow - 59;
  c.nbf = kNow + 59;
  c.aud = {"https://elsewhere/", std::string(kAnyAudience)};
  FakeClock clock(kNow * kMicrosPerSecond);
  EXPECT_TRUE(ValidateClaims(c, ValidationOptions{{"gantry"}, 60}, clock));
}

TEST(ParseClaimsTest, ReadsTheWlcgProfileClaims) {
  auto c = ParseClaims(R"({"iss":"https://i/","sub":"s","aud":["a","b"],"exp":10,"nbf":1,
      "iat":1.5,"jti":"j","wlcg.ver":"1.0","wlcg.groups":["/cms","/cms/Role=production"],
      "scope":"compute.read compute.create"})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->aud, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c->exp, 10);
  EXPECT_EQ(c->iat, 1);
  EXPECT_EQ(c->jti, "j");
  Identity id = IdentityFromClaims(*c);
  EXPECT_EQ(id.vo, "cms");
  EXPECT_EQ(id.roles, (std::vector<std::string>{"/cms/Role=production"}));
  EXPECT_TRUE(id.scopes.Has(Scope::kComputeCreate));
  EXPECT_EQ(id.Display(), "s@https://i/");
}

TEST(ParseClaimsTest, ClaimsOfTheWrongTypeAreMalformed) {
  for (const char* payload : {R"({"exp":"tomorrow"})", R"({"sub":7})", R"({"aud":3})",
                              R"({"wlcg.groups":"/cms"})", R"({"wlcg.groups":[1]})", "[1]",
                              "{nope"}) {
    auto c = ParseClaims(payload);
    ASSERT_FALSE(c) << payload;
    EXPECT_EQ(c.error().problem, TokenProblem::kMalformed) << payload;
  }
}

TEST(ParseClaimsTest, RoundTripsThroughJson) {
  Claims c = Good();
  c.groups = {"/cms"};
  c.scope = "compute.read";
  auto back = ParseClaims(ClaimsToJson(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sub, "alice");
  EXPECT_EQ(back->aud, c.aud);
  EXPECT_EQ(back->exp, c.exp);
  EXPECT_EQ(back->groups, c.groups);
}

}  // namespace
}  // namespace gantry::identity

namespace gantry::identity {
namespace {

// Found by fuzz/token: exp + leeway overflowed for an exp of INT64_MAX, a double exp beyond
// int64 was cast (undefined behaviour), and the expiry message multiplied a huge negative exp
// into microseconds. Such times are refused as malformed before any arithmetic.
TEST(ParseClaimsTest, RefusesTimesOutsideTheYears1970To9999) {
  for (const char* value : {"9223372036854775807", "-9223372036854775808", "18446744073709551615",
                            "1e300", "-1e30", "-1", "253402300800"}) {
    auto claims = ParseClaims(std::string("{\"exp\": ") + value + "}");
    ASSERT_FALSE(claims) << value;
    EXPECT_EQ(claims.error().problem, TokenProblem::kMalformed) << value;
    EXPECT_EQ(claims.error().message,
              "the token is malformed: exp is not a time between 1970 and 9999 (seconds)");
  }
  for (const char* name : {"nbf", "iat"}) {
    EXPECT_FALSE(ParseClaims(std::string("{\"") + name + "\": 9223372036854775807}")) << name;
  }
  auto fractional = ParseClaims("{\"exp\": 1800003600.75, \"iat\": 0, \"nbf\": 253402300799}");
  ASSERT_TRUE(fractional) << fractional.error().message;
  EXPECT_EQ(fractional->exp, 1800003600);
  EXPECT_EQ(fractional->iat, 0);
}

}  // namespace
}  // namespace gantry::identity
