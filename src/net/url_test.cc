#include "net/url.h"

#include <gtest/gtest.h>

namespace gantry::net {
namespace {

TEST(UrlTest, PercentEncodeKeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("a b/c?d=e&f+g%"), "a%20b%2Fc%3Fd%3De%26f%2Bg%25");
  EXPECT_EQ(PercentEncode("\xc3\xb6"), "%C3%B6");
  EXPECT_EQ(PercentEncode(std::string_view("\0", 1)), "%00");
}

TEST(UrlTest, PercentDecodeInvertsEncode) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(PercentDecode(PercentEncode(all), PlusAsSpace::kNo), all);
}

TEST(UrlTest, PercentDecodeAcceptsLowerCaseHex) {
  EXPECT_EQ(PercentDecode("%2f%C3%b6", PlusAsSpace::kNo), "/\xc3\xb6");
}

TEST(UrlTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b", PlusAsSpace::kYes), "a b");
  EXPECT_EQ(PercentDecode("a+b", PlusAsSpace::kNo), "a+b");
}

TEST(UrlTest, PercentDecodeRejectsTruncatedOrNonHexEscapes) {
  EXPECT_FALSE(PercentDecode("%", PlusAsSpace::kNo));
  EXPECT_FALSE(PercentDecode("ab%2", PlusAsSpace::kNo));
  EXPECT_FALSE(PercentDecode("%g0", PlusAsSpace::kNo));
}

TEST(UrlTest, ParseQuerySplitsDecodesAndKeepsLastRepeat) {
  auto query = ParseQuery("a=1&b=x%20y&&flag&a=2&c=d=e");
  ASSERT_TRUE(query.has_value());
  std::map<std::string, std::string> expected{{"a", "2"}, {"b", "x y"}, {"flag", ""}, {"c", "d=e"}};
  EXPECT_EQ(*query, expected);
}

TEST(UrlTest, ParseQueryReportsTheBadPair) {
  auto query = ParseQuery("ok=1&bad=%zz");
  ASSERT_FALSE(query.has_value());
  EXPECT_NE(query.error().message().find("bad=%zz"), std::string::npos);
}

TEST(UrlTest, BuildQueryRoundTrips) {
  std::map<std::string, std::string> params{{"owner", "a b"}, {"q", "x&y=z"}, {"empty", ""}};
  EXPECT_EQ(BuildQuery(params), "empty=&owner=a%20b&q=x%26y%3Dz");
  EXPECT_EQ(ParseQuery(BuildQuery(params)), params);
  EXPECT_EQ(BuildQuery({}), "");
}

}  // namespace
}  // namespace gantry::net
