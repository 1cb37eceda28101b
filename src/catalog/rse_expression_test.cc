#include "catalog/rse_expression.h"

#include <gtest/gtest.h>

#include <fstream>

#include "base/strings.h"

namespace gantry::catalog {
namespace {

TEST(RseExpressionTest, ConformanceFile) {
  std::ifstream in(GANTRY_SOURCE_DIR "/src/catalog/testdata/rse_expressions.txt");
  ASSERT_TRUE(in.good());
  std::vector<RseView> rses;
  std::string line;
  int cases = 0, number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    if (line.starts_with("rse ")) {
      auto words = Split(line.substr(4), ' ');
      RseView r{words[0], {}};
      for (size_t i = 1; i < words.size(); ++i) {
        size_t eq = words[i].find('=');
        r.attributes[words[i].substr(0, eq)] = words[i].substr(eq + 1);
      }
      rses.push_back(r);
      continue;
    }
    size_t arrow = line.rfind("=>");
    ASSERT_NE(arrow, std::string::npos) << "line " << number;
    std::string expr = line.substr(0, arrow);
    if (!expr.empty() && expr.back() == ' ') expr.pop_back();
    std::string want(Trim(line.substr(arrow + 2)));
    auto parsed = RseExpression::Parse(expr);
    ++cases;
    if (want.starts_with("error: ")) {
      ASSERT_FALSE(parsed) << "line " << number << ": " << expr;
      EXPECT_NE(parsed.error().message().find(want.substr(7)), std::string::npos)
          << "line " << number << ": " << parsed.error().message();
      EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
      continue;
    }
    ASSERT_TRUE(parsed) << "line " << number << ": " << parsed.error().message();
    std::string got = Join(parsed->Select(rses), " ");
    EXPECT_EQ(got.empty() ? "none" : got, want) << "line " << number << ": " << expr;
  }
  EXPECT_GT(cases, 25);
}

TEST(RseExpressionTest, CopiesShareTheParsedTree) {
  auto e = RseExpression::Parse("a|b");
  ASSERT_TRUE(e);
  RseExpression copy = *e;
  std::vector<RseView> rses = {{"a", {}}, {"c", {}}};
  EXPECT_EQ(copy.Select(rses), std::vector<std::string>{"a"});
  EXPECT_EQ(copy.text(), "a|b");
}

}  // namespace
}  // namespace gantry::catalog
