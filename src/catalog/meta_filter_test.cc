#include "catalog/meta_filter.h"

#include <gtest/gtest.h>

namespace gantry::catalog {
namespace {

bool Holds(const char* filter, const std::map<std::string, std::string>& meta) {
  auto f = ParseMetaFilter(filter);
  EXPECT_TRUE(f) << filter << ": " << f.error().message();
  return f && Matches(*f, meta);
}

TEST(MetaFilterTest, ConditionsAllHold) {
  std::map<std::string, std::string> meta = {{"run", "358031"}, {"datatype", "AOD"},
                                             {"events", "1200"}};
  EXPECT_TRUE(Holds("run=358031,datatype=AOD", meta));
  EXPECT_FALSE(Holds("run=358031,datatype=ESD", meta));
  EXPECT_TRUE(Holds("events>1000", meta));
  EXPECT_TRUE(Holds("events>=1200", meta));
  EXPECT_FALSE(Holds("events<1200", meta));
  EXPECT_TRUE(Holds("events<=1200.0", meta));
  EXPECT_TRUE(Holds("run=358031.0", meta));  // numbers compare as numbers
  EXPECT_TRUE(Holds("campaign!=old", meta));  // absent keys satisfy only !=
  EXPECT_FALSE(Holds("campaign=old", meta));
  EXPECT_TRUE(Holds("datatype=A*", meta));
  EXPECT_TRUE(Holds(" run = 358031 ", meta));
  EXPECT_TRUE(Holds("", meta));
}

TEST(MetaFilterTest, RefusesMalformedFiltersSayingWhich) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"run", "filter 'run': write it as key=value"},
      {"events>x", "'>' compares with a number"},
      {"=3", "must have 1 to 64"},
      {"run=", "no value after '='"},
      {"run!3", "'!' must be followed by '='"},
      {"1run=3", "must not start with a digit"},
      {"a=1,b", "filter 'b'"},
  };
  for (const auto& c : cases) {
    auto f = ParseMetaFilter(c.text);
    ASSERT_FALSE(f) << c.text;
    EXPECT_NE(f.error().message().find(c.why), std::string::npos) << f.error().message();
  }
}

TEST(MetaFilterTest, WildcardsMatchTheWholeText) {
  EXPECT_TRUE(WildcardMatch("data18_*.AOD*", "data18_13TeV.AOD.v1"));
  EXPECT_FALSE(WildcardMatch("data18_*.AOD", "data18_13TeV.AOD.v1"));
  EXPECT_TRUE(WildcardMatch("*", ""));
  EXPECT_TRUE(WildcardMatch("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(WildcardMatch("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(WildcardMatch("abc", "abc"));
}

}  // namespace
}  // namespace gantry::catalog
