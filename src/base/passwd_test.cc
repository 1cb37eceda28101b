#include "base/passwd.h"

#include <unistd.h>

#include <gtest/gtest.h>

namespace gantry {
namespace {

TEST(PasswdTest, RootIsUidZeroByUidAndByName) {
  auto by_uid = LookUpUser(uid_t{0});
  ASSERT_TRUE(by_uid.has_value());
  EXPECT_EQ(by_uid->name, "root");
  auto by_name = LookUpUser(std::string("root"));
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->uid, 0u);
  EXPECT_EQ(by_name->home, by_uid->home);
}

TEST(PasswdTest, AUidWithoutAnEntryIsNamedByNumber) {
  constexpr uid_t kNobodyHere = 3'999'999'999u;
  EXPECT_FALSE(LookUpUser(kNobodyHere).has_value());
  EXPECT_EQ(UserName(kNobodyHere), "uid3999999999");
  EXPECT_FALSE(LookUpUser(std::string("no-such-user-gantry")).has_value());
}

TEST(PasswdTest, GroupsStartWithThePrimaryGroup) {
  auto me = LookUpUser(geteuid());
  ASSERT_TRUE(me.has_value());
  std::vector<gid_t> groups = GroupIdsOf(me->name, me->gid);
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups[0], me->gid);
  EXPECT_EQ(GroupIdsOf("", 1234), std::vector<gid_t>{1234});
}

TEST(PasswdCacheTest, AsksTheDatabaseOncePerLifetime) {
  FakeClock clock;
  int asked = 0;
  PasswdCache cache(clock, 60 * kMicrosPerSecond, [&](uid_t uid) -> std::optional<Account> {
    ++asked;
    if (uid != 500) return std::nullopt;
    return Account{500, 500, "alice", "/home/alice", "/bin/bash"};
  });
  EXPECT_EQ(cache.UserName(500), "alice");
  EXPECT_EQ(cache.Find(500)->home, "/home/alice");
  EXPECT_EQ(asked, 1);
  clock.Advance(61 * kMicrosPerSecond);
  EXPECT_EQ(cache.Find(500)->shell, "/bin/bash");
  EXPECT_EQ(asked, 2);
  // An unknown uid is remembered as unknown too.
  EXPECT_EQ(cache.UserName(7), "uid7");
  EXPECT_FALSE(cache.Find(7).has_value());
  EXPECT_EQ(asked, 3);
}

}  // namespace
}  // namespace gantry
