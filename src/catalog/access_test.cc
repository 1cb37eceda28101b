#include "catalog/access.h"

#include <gtest/gtest.h>

namespace gantry::catalog {
namespace {

model::Identity Token(std::string scopes, std::string vo = "cms") {
  model::Identity id;
  id.kind = model::IdentityKind::kToken;
  id.subject = "a1";
  id.issuer = "https://iam.example.org/";
  id.vo = vo;
  id.groups = {"/" + vo, "/" + vo + "/prod"};
  id.roles = {"/" + vo + "/Role=production"};
  id.scopes = model::ScopeSet::Parse(scopes);
  return id;
}

TEST(AccessTest, StorageScopesCoverTheirPathAndBelowOnly) {
  auto who = Token("compute.read storage.read:/cms storage.create:/cms/user");
  EXPECT_TRUE(RequireStorageScope(who, StorageOp::kRead, "/cms"));
  EXPECT_TRUE(RequireStorageScope(who, StorageOp::kRead, "/cms/f1"));
  EXPECT_FALSE(RequireStorageScope(who, StorageOp::kRead, "/cmsx/f1"));
  EXPECT_TRUE(RequireStorageScope(who, StorageOp::kCreate, "/cms/user/f"));
  EXPECT_FALSE(RequireStorageScope(who, StorageOp::kCreate, "/cms/f"));
  auto denied = RequireStorageScope(who, StorageOp::kModify, "/cms/user/f");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(denied.error().message().find("lacks the scope storage.modify:/cms/user/f"),
            std::string::npos)
      << denied.error().message();
  EXPECT_NE(denied.error().message().find("storage.read:/cms"), std::string::npos);
}

TEST(AccessTest, ModifyImpliesCreateAndRootCoversAll) {
  auto who = Token("storage.modify:/");
  EXPECT_TRUE(RequireStorageScope(who, StorageOp::kCreate, "/any/thing"));
  EXPECT_TRUE(RequireStorageScope(who, StorageOp::kModify, "/any"));
  EXPECT_FALSE(RequireStorageScope(who, StorageOp::kRead, "/any"));
}

TEST(AccessTest, LocalCallersHoldEveryStorageScopeAndAgentsNone) {
  model::Identity local;
  local.kind = model::IdentityKind::kLocal;
  EXPECT_TRUE(RequireStorageScope(local, StorageOp::kModify, "/x"));
  model::Identity agent = Token("storage.read:/");
  agent.kind = model::IdentityKind::kAgent;
  EXPECT_FALSE(RequireStorageScope(agent, StorageOp::kRead, "/x"));
}

TEST(AccessTest, OwnersWriteVoMembersReadAclsGrant) {
  ScopeRecord scope{"cms.prod", "owner@https://iam.example.org/", "cms", {}};
  auto member = Token("", "cms");
  auto outsider = Token("", "atlas");
  EXPECT_TRUE(CheckAccess(scope, member, Right::kRead));
  EXPECT_FALSE(CheckAccess(scope, member, Right::kWrite));
  EXPECT_FALSE(CheckAccess(scope, outsider, Right::kRead));
  auto denied = CheckAccess(scope, outsider, Right::kRead);
  EXPECT_NE(denied.error().message().find("may not read the scope 'cms.prod'"),
            std::string::npos);

  model::Identity owner = member;
  owner.subject = "owner";
  EXPECT_TRUE(CheckAccess(scope, owner, Right::kWrite));
  model::Identity admin = outsider;
  admin.grants.admin = true;
  EXPECT_TRUE(CheckAccess(scope, admin, Right::kWrite));

  scope.acl.push_back({"role:/cms/Role=production", Right::kWrite});
  EXPECT_TRUE(CheckAccess(scope, member, Right::kWrite));
  scope.acl = {{"group:/atlas", Right::kRead}};
  EXPECT_TRUE(CheckAccess(scope, outsider, Right::kRead));
  EXPECT_FALSE(CheckAccess(scope, outsider, Right::kWrite));
  scope.acl = {{"user:a1@https://iam.example.org/", Right::kWrite}};
  EXPECT_TRUE(CheckAccess(scope, outsider, Right::kRead));  // write implies read

  ScopeRecord open{"public", "someone@local", "", {}};
  EXPECT_TRUE(CheckAccess(open, outsider, Right::kRead));
}

TEST(AccessTest, PrincipalsAreChecked) {
  EXPECT_TRUE(ValidatePrincipal("vo:cms"));
  EXPECT_TRUE(ValidatePrincipal("group:/cms/prod"));
  EXPECT_TRUE(ValidatePrincipal("any"));
  EXPECT_FALSE(ValidatePrincipal("group:cms"));
  EXPECT_FALSE(ValidatePrincipal("vo:"));
  EXPECT_FALSE(ValidatePrincipal("alice"));
}

}  // namespace
}  // namespace gantry::catalog
