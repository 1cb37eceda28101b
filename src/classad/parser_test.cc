#include "classad/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "classad/unparse.h"

namespace gantry::classad {
namespace {

TEST(ParserTest, ParsesANewSyntaxAd) {
  auto ad = ParseClassAd("[ a = 1; B = \"x\"; c = { 1, 2 }; ]");
  ASSERT_TRUE(ad.has_value()) << ad.error().message();
  EXPECT_EQ(ad->size(), 3u);
  EXPECT_NE(ad->Lookup("b"), nullptr);
  EXPECT_EQ(UnparseClassAd(*ad), "[ a = 1; B = \"x\"; c = { 1, 2 } ]");
}

TEST(ParserTest, RejectsUnterminatedStringWithPosition) {
  auto e = ParseExpr("1 +\n  \"abc");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "2:3: unterminated string");
}

TEST(ParserTest, ReportsLineAndColumnOfUnexpectedToken) {
  auto ad = ParseClassAd("[ a = 1;\n b = ) ]");
  ASSERT_FALSE(ad.has_value());
  EXPECT_EQ(ad.error().message(), "2:6: expected an expression but found ')'");
}

TEST(ParserTest, RejectsDeepNestingWithoutCrashing) {
  std::string deep(100000, '(');
  auto e = ParseExpr(deep);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message().find("nested too deeply"), std::string::npos);
}

TEST(ParserTest, RejectsVeryLongOperatorChains) {
  std::string chain = "1";
  for (int i = 0; i < 5000; ++i) chain += "+1";
  auto e = ParseExpr(chain);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message().find("nested too deeply"), std::string::npos);
}

TEST(ParserTest, RejectsHugeIntegerLiteral) {
  auto e = ParseExpr("123456789012345678901234567890");
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message().find("out of range"), std::string::npos);
}

TEST(ParserTest, RejectsInvalidBytes) {
  auto e = ParseExpr("a == \xff\xfe");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "1:6: unexpected byte 0xff");
}

TEST(ParserTest, ParsesOldSyntaxAd) {
  auto ad = ParseOldClassAd(
      "# comment\nMyType = \"Job\"\nRequestMemory = 2048\n\nRequirements = (TARGET.Memory >= "
      "RequestMemory) && (Arch == \"X86_64\")\n");
  ASSERT_TRUE(ad.has_value()) << ad.error().message();
  EXPECT_EQ(ad->size(), 3u);
  EXPECT_EQ(Unparse(*ad->Lookup("requirements")),
            "(TARGET.Memory >= RequestMemory) && (Arch == \"X86_64\")");
}

TEST(ParserTest, OldSyntaxErrorNamesTheLine) {
  auto ad = ParseOldClassAd("A = 1\nB = = 2\n");
  ASSERT_FALSE(ad.has_value());
  EXPECT_EQ(ad.error().message(), "2:5: expected an expression but found '='");
}

TEST(ParserTest, ParsesSeveralOldAdsSeparatedByBlankLines) {
  auto ads = ParseOldClassAds("A = 1\nB = 2\n\nA = 3\n");
  ASSERT_TRUE(ads.has_value()) << ads.error().message();
  ASSERT_EQ(ads->size(), 2u);
  EXPECT_EQ((*ads)[1].size(), 1u);
}

TEST(ParserTest, DetectsFormat) {
  EXPECT_TRUE(ParseClassAdAnyFormat("  [ a = 1 ]").has_value());
  EXPECT_TRUE(ParseClassAdAnyFormat("a = 1\nb = 2").has_value());
}

TEST(ParserTest, UnparseKeepsPrecedence) {
  auto e = ParseExpr("(1 + 2) * 3 - -x.y[0] ?: z");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Unparse(**e), "(1 + 2) * 3 - -x.y[0] ?: z");
}

TEST(ParserTest, QuotedAttributeNamesRoundTrip) {
  auto ad = ParseClassAd("[ 'a b' = 1; 'if' = 'a b' + 1 ]");
  ASSERT_TRUE(ad.has_value()) << ad.error().message();
  EXPECT_EQ(UnparseClassAd(*ad), "[ 'a b' = 1; if = 'a b' + 1 ]");
}

TEST(ParserTest, CopiedAdsKeepNestedScopes) {
  auto ad = ParseClassAd("[ x = 7; inner = [ y = x ] ]");
  ASSERT_TRUE(ad.has_value());
  ClassAd copy = *ad;
  const Expr* inner = copy.Lookup("inner");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->ad->parent(), &copy);
}

}  // namespace
}  // namespace gantry::classad
