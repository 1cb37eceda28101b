#include "wire/token_discovery.h"

#include <gtest/gtest.h>

#include <map>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::wire {
namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  GetEnv Get() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

// A uid no test machine's /tmp has a bt_u file for.
constexpr uint32_t kUid = 4'000'000'123u;

TEST(DiscoveryTest, FollowsTheWlcgOrder) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("file-token"), "from-file\n"));
  ASSERT_TRUE(WriteFileAtomic(dir.File("bt_u" + std::to_string(kUid)), " from-runtime \n"));
  FakeEnv env;
  env.vars = {{"BEARER_TOKEN", " from-env\n"},
              {"BEARER_TOKEN_FILE", dir.File("file-token")},
              {"XDG_RUNTIME_DIR", dir.path()}};
  auto found = DiscoverBearerToken(env.Get(), kUid);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->token, "from-env");
  EXPECT_EQ(found->source, "BEARER_TOKEN");
  env.vars.erase("BEARER_TOKEN");
  found = DiscoverBearerToken(env.Get(), kUid);
  EXPECT_EQ(found->token, "from-file");
  EXPECT_EQ(found->source, dir.File("file-token"));
  env.vars.erase("BEARER_TOKEN_FILE");
  found = DiscoverBearerToken(env.Get(), kUid);
  EXPECT_EQ(found->token, "from-runtime");
}

TEST(DiscoveryTest, AnEmptyBearerTokenFallsThrough) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("t"), "tok"));
  FakeEnv env;
  env.vars = {{"BEARER_TOKEN", "  "}, {"BEARER_TOKEN_FILE", dir.File("t")}};
  EXPECT_EQ(DiscoverBearerToken(env.Get(), kUid)->token, "tok");
}

TEST(DiscoveryTest, ANamedFileThatCannotBeReadIsAnError) {
  FakeEnv env;
  env.vars = {{"BEARER_TOKEN_FILE", "/nonexistent/token"}};
  auto found = DiscoverBearerToken(env.Get(), kUid);
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message().find("BEARER_TOKEN_FILE: "), std::string::npos);
}

TEST(DiscoveryTest, NothingFoundNamesThePlacesLookedAt) {
  TempDir dir;
  FakeEnv env;
  env.vars = {{"XDG_RUNTIME_DIR", dir.path()}};
  auto found = DiscoverBearerToken(env.Get(), kUid);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(found.error().message(),
            "no bearer token: BEARER_TOKEN and BEARER_TOKEN_FILE are unset and " +
                dir.File("bt_u4000000123") + " and /tmp/bt_u4000000123 do not exist");
}

}  // namespace
}  // namespace gantry::wire
