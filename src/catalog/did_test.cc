#include "catalog/did.h"

#include <gtest/gtest.h>

namespace gantry::catalog {
namespace {

TEST(DidTest, ParsesScopeAndName) {
  auto d = ParseDid("user.alice:run1.AOD+v2");
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->scope, "user.alice");
  EXPECT_EQ(d->name, "run1.AOD+v2");
  EXPECT_EQ(d->ToString(), "user.alice:run1.AOD+v2");
}

TEST(DidTest, RefusesMalformedIdentifiersSayingWhy) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"noscope", "write it as scope:name"},
      {":name", "the scope is empty"},
      {"cms:", "the name is empty"},
      {"c/ms:x", "'/'"},
      {"cms:a/b", "'/'"},
      {"cms:.hidden", "must start with a letter or a digit"},
      {"cms:a:b", "':'"},
      {"abcdefghijabcdefghijabcdefghijX:x", "longer than 30"},
  };
  for (const auto& c : cases) {
    auto d = ParseDid(c.text);
    ASSERT_FALSE(d) << c.text;
    EXPECT_NE(d.error().message().find(c.why), std::string::npos) << d.error().message();
  }
  EXPECT_FALSE(ParseDid("cms:" + std::string(251, 'a')));
  EXPECT_TRUE(ParseDid("cms:" + std::string(250, 'a')));
}

TEST(DidTest, TypesAndStatesRoundTrip) {
  for (DidType t : {DidType::kFile, DidType::kDataset, DidType::kContainer}) {
    EXPECT_EQ(*ParseDidType(DidTypeName(t)), t);
  }
  for (ReplicaState s : {ReplicaState::kAvailable, ReplicaState::kCopying, ReplicaState::kBad}) {
    EXPECT_EQ(*ParseReplicaState(ReplicaStateName(s)), s);
  }
  EXPECT_FALSE(ParseDidType("folder"));
  EXPECT_FALSE(ParseReplicaState("lost"));
}

TEST(DidTest, ChecksumsAreNormalisedOrRefused) {
  EXPECT_EQ(*NormalizeAdler32("0A1B2C3D"), "0a1b2c3d");
  EXPECT_FALSE(NormalizeAdler32("a1b2c3d"));
  EXPECT_FALSE(NormalizeAdler32("0a1b2c3g"));
  EXPECT_TRUE(NormalizeMd5("d41d8cd98f00b204e9800998ecf8427e"));
  EXPECT_FALSE(NormalizeMd5("d41d8cd98f00b204"));
}

}  // namespace
}  // namespace gantry::catalog
