#include "identity/identity.h"

#include <gtest/gtest.h>

#include "identity/base64url.h"
#include "identity/scope.h"

namespace gantry::identity {
namespace {

TEST(FqanTest, SplitsGroupAndRole) {
  EXPECT_EQ(SplitFqan("/cms/prod/Role=production").group, "/cms/prod");
  EXPECT_EQ(SplitFqan("/cms/prod/Role=production").role, "production");
  EXPECT_EQ(SplitFqan("/cms").role, "");
  EXPECT_EQ(SplitFqan("/cms/Role=NULL/Capability=NULL").role, "");
  EXPECT_EQ(SplitFqan("/cms/Role=admin/Capability=NULL").role, "admin");
}

TEST(FqanTest, VoIsTheFirstComponent) {
  EXPECT_EQ(VoOf("/cms/prod"), "cms");
  EXPECT_EQ(VoOf("/cms/Role=production"), "cms");
  EXPECT_EQ(VoOf("/atlas"), "atlas");
  EXPECT_EQ(VoOf("cms"), "");
  EXPECT_EQ(VoOf("/"), "");
}

TEST(IdentityTest, GroupsAndRolesComeFromWlcgGroups) {
  Identity id;
  AddGroupsAndRoles({"/cms", "/cms/prod", "/cms/Role=production", "not-a-group"}, id);
  EXPECT_EQ(id.vo, "cms");
  EXPECT_EQ(id.groups, (std::vector<std::string>{"/cms", "/cms/prod"}));
  EXPECT_EQ(id.roles, (std::vector<std::string>{"/cms/Role=production"}));
}

TEST(IdentityTest, MembershipOfASubgroupImpliesTheParentGroup) {
  Identity id;
  AddGroupsAndRoles({"/cms/prod"}, id);
  EXPECT_TRUE(id.HasGroup("/cms"));
  EXPECT_TRUE(id.HasGroup("/cms/prod"));
  EXPECT_FALSE(id.HasGroup("/cm"));
  EXPECT_FALSE(id.HasGroup("/cms/prod/x"));
  EXPECT_FALSE(id.HasGroup("/atlas"));
}

TEST(ScopeTest, ParsesKnownScopesAndKeepsUnknownOnes) {
  ScopeSet set = ScopeSet::Parse("compute.read  compute.cancel storage.read:/ ");
  EXPECT_TRUE(set.Has(Scope::kComputeRead));
  EXPECT_TRUE(set.Has(Scope::kComputeCancel));
  EXPECT_FALSE(set.Has(Scope::kComputeCreate));
  EXPECT_EQ(set.unknown(), (std::vector<std::string>{"storage.read:/"}));
  EXPECT_EQ(set.ToString(), "compute.read compute.cancel");
}

TEST(ScopeTest, AllIsEveryComputeScopeButNotTheAgents) {
  ScopeSet all = ScopeSet::All();
  EXPECT_EQ(all.ToString(), "compute.read compute.create compute.modify compute.cancel");
  EXPECT_FALSE(all.Has(Scope::kAgent));
}

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(bytes)), bytes);
    bytes += static_cast<char>(i * 37 + 250);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8="), "\xfb\xff");
  EXPECT_FALSE(Base64UrlDecode("ab+c"));
  EXPECT_FALSE(Base64UrlDecode("abcde"));
}

}  // namespace
}  // namespace gantry::identity
