#include "identity/pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/file.h"

namespace gantry::identity {
namespace {

constexpr char kIam[] = "https://iam.example.org/";
const std::vector<std::string> kAccounts = {"root",   "dteam2", "dteam10", "dteam1",
                                            "dteamx", "dteam",  "cms001",  "dteam01"};

Identity Person(std::string subject) {
  Identity id;
  id.kind = Kind::kToken;
  id.issuer = kIam;
  id.subject = std::move(subject);
  return id;
}

TEST(PoolTest, APoolIsAGridmapAccountStartingWithADot) {
  EXPECT_EQ(PoolOf(".dteam"), "dteam");
  EXPECT_EQ(PoolOf("dteam001"), std::nullopt);
  EXPECT_EQ(PoolOf("."), std::nullopt);
}

TEST(PoolTest, MembersAreThePoolNameAndDigitsInNumberOrder) {
  EXPECT_EQ(PoolMembers("dteam", kAccounts),
            (std::vector<std::string>{"dteam01", "dteam1", "dteam2", "dteam10"}));
  EXPECT_TRUE(PoolMembers("atlas", kAccounts).empty());
  EXPECT_FALSE(IsPoolMember("dteam", "dteam"));
  EXPECT_FALSE(IsPoolMember("dteam", "dteam1x"));
}

TEST(PoolTest, ASubjectKeepsItsAccountAndTwoSubjectsNeverShareOne) {
  LeaseTable table;
  std::vector<std::string> members = {"dteam001", "dteam002"};
  EXPECT_EQ(table.Lease("dteam", members, kIam, "a", 10).value(), "dteam001");
  EXPECT_EQ(table.Lease("dteam", members, kIam, "b", 11).value(), "dteam002");
  EXPECT_EQ(table.Lease("dteam", members, kIam, "a", 12).value(), "dteam001");
  EXPECT_EQ(table.Lease("dteam", members, kIam, "b", 13).value(), "dteam002");
  // The same subject name from another issuer is another person.
  auto other = table.Lease("dteam", members, "https://other/", "a", 14);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(other.error().message(),
            "the pool 'dteam' (dteam001..dteam002, 2 accounts) is exhausted: every account is "
            "leased to another subject");
  EXPECT_EQ(table.leases().size(), 2u);
}

TEST(PoolTest, AnEmptyPoolSaysWhichAccountsToCreate) {
  LeaseTable table;
  auto out = table.Lease("dteam", {}, kIam, "a", 1);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(out.error().message().find("dteam001"), std::string::npos);
}

TEST(PoolTest, ALeaseOfAnAccountThatLeftThePoolIsReplaced) {
  LeaseTable table;
  EXPECT_EQ(table.Lease("dteam", {"dteam001", "dteam002"}, kIam, "a", 1).value(), "dteam001");
  EXPECT_EQ(table.Lease("dteam", {"dteam002"}, kIam, "a", 2).value(), "dteam002");
  ASSERT_EQ(table.leases().size(), 1u);
  EXPECT_EQ(table.leases()[0].since, 2);
}

TEST(PoolTest, TheLeaseFileRoundTrips) {
  LeaseTable table;
  ASSERT_TRUE(table.Lease("dteam", {"dteam001", "dteam002"}, kIam, "a b#c", 5));
  ASSERT_TRUE(table.Lease("cms", {"cms001"}, kIam, "d", 6));
  auto parsed = LeaseTable::Parse(table.Format());
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->Format(), table.Format());
  ASSERT_EQ(parsed->leases().size(), 2u);
  EXPECT_EQ(parsed->leases()[0].subject, "a b#c");
  EXPECT_EQ(parsed->leases()[1].since, 6);
}

TEST(PoolTest, BadLeaseLinesNameTheLine) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"dteam001 dteam \"i\" \"s\"\n", "leases:1: expected"},
           {"dteam001 dteam \"i\" \"s\" soon\n", "leases:1: expected"},
           {"dteam001 dteam \"i\" \"s\" 5x\n", "leases:1: expected"},
           {"cms001 dteam \"i\" \"s\" 5\n", "leases:1: the account 'cms001' is not a member"},
           {"dteam1 dteam \"i\" \"s\" 5\ndteam1 dteam \"i\" \"t\" 5\n",
            "leases:2: the account "
            "'dteam1' is leased twice"},
           {"dteam1 dteam \"i\" \"s\" 5\ndteam2 dteam \"i\" \"s\" 5\n", "leases:2: the subject"},
           {"dteam1 dteam \"i s 5\n", "unterminated quote"},
       }) {
    auto parsed = LeaseTable::Parse(c.text, "leases");
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_NE(parsed.error().message().find(c.error), std::string::npos)
        << parsed.error().message();
  }
}

class AccountPoolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pool_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(AccountPoolsTest, LeasesSurviveAReopen) {
  std::string path = dir_ + "/pool-leases";
  auto lister = [] { return kAccounts; };
  {
    auto pools = AccountPools::Open(path, lister);
    ASSERT_TRUE(pools) << pools.error().message();
    EXPECT_EQ((*pools)->Lease("dteam", Person("a"), 1).value(), "dteam01");
    EXPECT_EQ((*pools)->Lease("dteam", Person("b"), 2).value(), "dteam1");
  }
  auto pools = AccountPools::Open(path, lister);
  ASSERT_TRUE(pools) << pools.error().message();
  EXPECT_EQ((*pools)->List().size(), 2u);
  EXPECT_EQ((*pools)->Lease("dteam", Person("b"), 3).value(), "dteam1");
  EXPECT_EQ((*pools)->Lease("dteam", Person("c"), 4).value(), "dteam2");
}

TEST_F(AccountPoolsTest, AnExhaustedPoolIsPermissionDeniedNamingThePool) {
  auto pools = *AccountPools::Open("", [] { return std::vector<std::string>{"x1"}; });
  ASSERT_TRUE(pools->Lease("x", Person("a"), 1));
  auto out = pools->Lease("x", Person("b"), 2);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(out.error().message(),
            "b@https://iam.example.org/ maps to pool accounts, but the pool 'x' (x1, 1 account) "
            "is exhausted: every account is leased to another subject");
}

TEST_F(AccountPoolsTest, ASubjectTheFileCannotHoldIsRefused) {
  auto pools = *AccountPools::Open("", [] { return std::vector<std::string>{"x1"}; });
  auto out = pools->Lease("x", Person("a\"b"), 1);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(pools->List().empty());
}

TEST_F(AccountPoolsTest, AnUnwritableLeaseFileLeasesNothing) {
  std::string path = dir_ + "/missing-dir/pool-leases";
  auto pools = *AccountPools::Open(path, [] { return std::vector<std::string>{"x1"}; });
  auto out = pools->Lease("x", Person("a"), 1);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(pools->List().empty());
}

TEST_F(AccountPoolsTest, ABadLeaseFileIsAnErrorAtOpen) {
  std::string path = dir_ + "/pool-leases";
  ASSERT_TRUE(WriteFileAtomic(path, "garbage\n"));
  auto pools = AccountPools::Open(path);
  ASSERT_FALSE(pools);
  EXPECT_NE(pools.error().message().find(path + ":1:"), std::string::npos);
}

}  // namespace
}  // namespace gantry::identity
