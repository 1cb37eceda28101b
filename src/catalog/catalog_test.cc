#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include "base/temp_dir.h"

namespace gantry::catalog {
namespace {

model::Identity Local(std::string subject, bool admin = false, std::string vo = "") {
  model::Identity id;
  id.kind = model::IdentityKind::kLocal;
  id.subject = std::move(subject);
  id.issuer = "local";
  id.vo = vo;
  if (!vo.empty()) id.groups = {"/" + vo};
  id.grants.admin = admin;
  return id;
}

Did D(const char* text) { return *ParseDid(text); }

NewDid File(const char* did, int64_t bytes, const char* adler32) {
  return NewDid{D(did), DidType::kFile, bytes, adler32, "", {}};
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalog::Open(dir_.File("data.db"), clock_);
    ASSERT_TRUE(c) << c.error().message();
    catalog_ = std::move(*c);
    ASSERT_TRUE(catalog_->AddRse(admin_, {"T2_EE_DISK", "T2_EE", {{"tier", "2"}},
                                          {{"file", "file:///data/ee"},
                                           {"root", "root://xrd.ee:1094//data/ee"}}}));
    ASSERT_TRUE(catalog_->AddRse(admin_, {"T1_DE_DISK", "T1_DE", {{"tier", "1"}},
                                          {{"file", "file:///data/de/"}}}));
  }

  TempDir dir_;
  FakeClock clock_;
  model::Identity admin_ = Local("root", true);
  model::Identity alice_ = Local("alice", false, "cms");
  model::Identity bob_ = Local("bob", false, "atlas");
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, RsesHaveSitesAttributesAndPrefixesAndAreSelectedByExpression) {
  auto rse = catalog_->GetRse("T2_EE_DISK");
  ASSERT_TRUE(rse);
  EXPECT_EQ(rse->site, "T2_EE");
  EXPECT_EQ(rse->attributes.at("site"), "T2_EE");
  EXPECT_EQ(rse->protocols.at("root"), "root://xrd.ee:1094//data/ee");
  auto chosen = catalog_->ListRses("site=T2_EE|tier=1");
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->size(), 2u);
  auto only = catalog_->ListRses("tier<2");
  ASSERT_TRUE(only);
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ((*only)[0].name, "T1_DE_DISK");
  auto bad = catalog_->ListRses("tier=1|");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);

  EXPECT_EQ(catalog_->AddRse(alice_, {"X", "S", {}, {}}).error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(catalog_->AddRse(admin_, {"T1_DE_DISK", "S", {}, {}}).error().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_FALSE(catalog_->AddRse(admin_, {"lower", "S", {}, {}}));
  EXPECT_FALSE(catalog_->AddRse(admin_, {"Y", "S", {}, {{"file", "gsiftp://x/y"}}}));
  ASSERT_TRUE(catalog_->SetRseAttribute(admin_, "T1_DE_DISK", "tier", "0"));
  ASSERT_TRUE(catalog_->SetRseProtocol(admin_, "T1_DE_DISK", "https://de.example:8443/data"));
  EXPECT_EQ(catalog_->GetRse("T1_DE_DISK")->protocols.at("https"),
            "https://de.example:8443/data");
  EXPECT_EQ(catalog_->ListRses("tier=0")->size(), 1u);
}

TEST_F(CatalogTest, FilesDatasetsAndContainersNestAndReplicasResolve) {
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms:f1", 100, "0000000A")));
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms:f2", 50, "0000000b")));
  ASSERT_TRUE(catalog_->AddDid(alice_, {D("cms:ds"), DidType::kDataset, 0, "", "", {}}));
  ASSERT_TRUE(catalog_->AddDid(alice_, {D("cms:all"), DidType::kContainer, 0, "", "", {}}));
  std::vector<Did> files = {D("cms:f1"), D("cms:f2")};
  ASSERT_TRUE(catalog_->Attach(alice_, D("cms:ds"), files));
  std::vector<Did> ds = {D("cms:ds")};
  ASSERT_TRUE(catalog_->Attach(alice_, D("cms:all"), ds));

  // Wrong shapes are refused.
  EXPECT_FALSE(catalog_->Attach(alice_, D("cms:all"), files));     // a container holds no file
  EXPECT_FALSE(catalog_->Attach(alice_, D("cms:f1"), files));      // a file holds nothing
  std::vector<Did> all = {D("cms:all")};
  EXPECT_FALSE(catalog_->Attach(alice_, D("cms:ds"), all));        // a dataset holds files
  EXPECT_EQ(catalog_->Attach(alice_, D("cms:ds"), files).error().code(),
            ErrorCode::kAlreadyExists);
  ASSERT_TRUE(catalog_->AddDid(alice_, {D("cms:outer"), DidType::kContainer, 0, "", "", {}}));
  ASSERT_TRUE(catalog_->Attach(alice_, D("cms:outer"), all));
  std::vector<Did> outer = {D("cms:outer")};
  auto cycle = catalog_->Attach(alice_, D("cms:all"), outer);
  ASSERT_FALSE(cycle);
  EXPECT_NE(cycle.error().message().find("cycle"), std::string::npos);

  EXPECT_EQ(catalog_->GetDid(alice_, D("cms:all"))->bytes, 150);
  EXPECT_EQ(catalog_->GetDid(alice_, D("cms:f1"))->adler32, "0000000a");

  std::vector<NewReplica> reps = {{File("cms:f1", 100, "0000000a"), "", ReplicaState::kAvailable},
                                  {File("cms:f2", 50, "0000000b"), "x/y.root",
                                   ReplicaState::kCopying}};
  ASSERT_TRUE(catalog_->AddReplicas(alice_, "T2_EE_DISK", reps));
  auto listed = catalog_->ListReplicas(alice_, D("cms:outer"));
  ASSERT_TRUE(listed) << listed.error().message();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].file.did.name, "f1");
  ASSERT_EQ((*listed)[0].replicas.size(), 1u);
  EXPECT_EQ((*listed)[0].replicas[0].pfns.at("file"), "file:///data/ee/cms/f1");
  EXPECT_EQ((*listed)[0].replicas[0].pfns.at("root"), "root://xrd.ee:1094//data/ee/cms/f1");
  EXPECT_EQ((*listed)[1].replicas[0].pfns.at("file"), "file:///data/ee/x/y.root");
  EXPECT_EQ((*listed)[1].replicas[0].state, ReplicaState::kCopying);
  auto available = catalog_->ListReplicas(alice_, D("cms:ds"), ReplicaState::kAvailable);
  EXPECT_EQ((*available)[1].replicas.size(), 0u);

  ASSERT_TRUE(catalog_->SetReplicaState(alice_, "T2_EE_DISK", D("cms:f2"),
                                        ReplicaState::kAvailable));
  std::vector<Did> f2 = {D("cms:f2")};
  ASSERT_TRUE(catalog_->Detach(alice_, D("cms:ds"), f2));
  EXPECT_EQ(catalog_->ListContent(alice_, D("cms:ds"))->size(), 1u);
  EXPECT_EQ(catalog_->Detach(alice_, D("cms:ds"), f2).error().code(), ErrorCode::kNotFound);
}

TEST_F(CatalogTest, ANameIsNeverReusedAfterErasure) {
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms:once", 1, "00000001")));
  EXPECT_EQ(catalog_->AddDid(alice_, File("cms:once", 1, "00000001")).error().code(),
            ErrorCode::kAlreadyExists);
  ASSERT_TRUE(catalog_->EraseDid(alice_, D("cms:once")));
  EXPECT_EQ(catalog_->GetDid(alice_, D("cms:once")).error().code(), ErrorCode::kNotFound);
  auto again = catalog_->AddDid(alice_, File("cms:once", 1, "00000001"));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("never reused"), std::string::npos);
  std::vector<NewReplica> reps = {{File("cms:once", 1, "00000001"), "", ReplicaState::kAvailable}};
  EXPECT_FALSE(catalog_->AddReplicas(alice_, "T2_EE_DISK", reps));
}

TEST_F(CatalogTest, FilesNeedChecksumsAndReplicasMustAgreeWithTheFile) {
  EXPECT_FALSE(catalog_->AddDid(alice_, File("cms:nosum", 1, "")));
  EXPECT_FALSE(catalog_->AddDid(alice_, File("cms:badsum", 1, "xyz")));
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms:f", 10, "000000aa")));
  std::vector<NewReplica> wrong = {{File("cms:f", 11, "000000aa"), "", ReplicaState::kAvailable}};
  auto r = catalog_->AddReplicas(alice_, "T2_EE_DISK", wrong);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("is not the file the catalog knows"), std::string::npos);
  std::vector<NewReplica> nowhere = {{File("cms:f", 10, "000000aa"), "", ReplicaState::kAvailable}};
  EXPECT_EQ(catalog_->AddReplicas(alice_, "NO_SUCH", nowhere).error().code(),
            ErrorCode::kNotFound);
  // The failed batch left nothing: a batch with a new file and a bad one adds neither.
  std::vector<NewReplica> mixed = {{File("cms:new", 5, "00000005"), "", ReplicaState::kAvailable},
                                   {File("cms:f", 11, "000000aa"), "", ReplicaState::kAvailable}};
  EXPECT_FALSE(catalog_->AddReplicas(alice_, "T2_EE_DISK", mixed));
  EXPECT_EQ(catalog_->GetDid(alice_, D("cms:new")).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(catalog_->AddReplicas(alice_, "T2_EE_DISK", nowhere));
  EXPECT_EQ(catalog_->AddReplicas(alice_, "T2_EE_DISK", nowhere).error().code(),
            ErrorCode::kAlreadyExists);
}

TEST_F(CatalogTest, MetadataIsQueryable) {
  NewDid a = File("cms:run1", 1, "00000001");
  a.meta = {{"run", "358031"}, {"datatype", "AOD"}};
  NewDid b = File("cms:run2", 1, "00000001");
  b.meta = {{"run", "358099"}, {"datatype", "ESD"}};
  ASSERT_TRUE(catalog_->AddDid(alice_, a));
  ASSERT_TRUE(catalog_->AddDid(alice_, b));
  ASSERT_TRUE(catalog_->AddDid(alice_, {D("cms:ds1"), DidType::kDataset, 0, "", "", {}}));
  ASSERT_TRUE(catalog_->SetMeta(alice_, D("cms:run2"), "events", "5000"));
  ListDidsQuery q;
  q.scope = "cms";
  q.filter = *ParseMetaFilter("run>358000,datatype=AOD");
  auto found = catalog_->ListDids(alice_, q);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].did.name, "run1");
  q.filter = *ParseMetaFilter("events>=5000");
  EXPECT_EQ(catalog_->ListDids(alice_, q)->at(0).did.name, "run2");
  q.filter = *ParseMetaFilter("type=dataset");
  EXPECT_EQ(catalog_->ListDids(alice_, q)->at(0).did.name, "ds1");
  q.filter.clear();
  q.name_pattern = "run*";
  EXPECT_EQ(catalog_->ListDids(alice_, q)->size(), 2u);
  q.type = DidType::kDataset;
  EXPECT_EQ(catalog_->ListDids(alice_, q)->size(), 0u);
  ASSERT_TRUE(catalog_->SetMeta(alice_, D("cms:run2"), "events", ""));
  EXPECT_EQ(catalog_->GetDid(alice_, D("cms:run2"))->meta.count("events"), 0u);
  EXPECT_FALSE(catalog_->SetMeta(alice_, D("cms:run2"), "bad key", "x"));
}

TEST_F(CatalogTest, AclsDecideWhoReadsAndWritesAScope) {
  ASSERT_TRUE(catalog_->AddScope(alice_, "cms.alice", ""));
  EXPECT_EQ(catalog_->GetScope("cms.alice")->vo, "cms");
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms.alice:f", 1, "00000001")));
  // bob is in another VO: he may neither read nor write.
  EXPECT_EQ(catalog_->GetDid(bob_, D("cms.alice:f")).error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(catalog_->AddDid(bob_, File("cms.alice:g", 1, "00000001")).error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(catalog_->SetAcl(bob_, "cms.alice", {"vo:atlas", Right::kRead}, true).error().code(),
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(catalog_->SetAcl(alice_, "cms.alice", {"vo:atlas", Right::kRead}, true));
  EXPECT_TRUE(catalog_->GetDid(bob_, D("cms.alice:f")));
  EXPECT_FALSE(catalog_->EraseDid(bob_, D("cms.alice:f")));
  ASSERT_TRUE(catalog_->SetAcl(alice_, "cms.alice", {"user:bob@local", Right::kWrite}, true));
  EXPECT_TRUE(catalog_->AddDid(bob_, File("cms.alice:g", 1, "00000001")));
  ASSERT_TRUE(catalog_->SetAcl(alice_, "cms.alice", {"user:bob@local", Right::kWrite}, false));
  EXPECT_FALSE(catalog_->AddDid(bob_, File("cms.alice:h", 1, "00000001")));
  EXPECT_EQ(catalog_->GetScope("cms.alice")->acl.size(), 1u);
  EXPECT_EQ(catalog_->AddScope(alice_, "cms.alice", "").error().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(catalog_->AddScope(alice_, "x", "atlas").error().code(),
            ErrorCode::kPermissionDenied);
}

TEST_F(CatalogTest, TokensNeedStorageScopesForThePath) {
  model::Identity token = alice_;
  token.kind = model::IdentityKind::kToken;
  token.scopes = model::ScopeSet::Parse("storage.read:/cms");
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms:f", 1, "00000001")));
  EXPECT_TRUE(catalog_->GetDid(token, D("cms:f")));
  auto denied = catalog_->AddDid(token, File("cms:g", 1, "00000001"));
  ASSERT_FALSE(denied);
  EXPECT_NE(denied.error().message().find("storage.create:/cms/g"), std::string::npos);
  token.scopes = model::ScopeSet::Parse("storage.read:/cms storage.create:/cms");
  EXPECT_TRUE(catalog_->AddDid(token, File("cms:g", 1, "00000001")));
  EXPECT_FALSE(catalog_->EraseDid(token, D("cms:g")));  // modify is not held
}

TEST_F(CatalogTest, UsageCountsAvailableReplicasPerRseUserAndVo) {
  std::vector<NewReplica> a = {{File("cms:a1", 100, "00000001"), "", ReplicaState::kAvailable},
                               {File("cms:a2", 20, "00000001"), "", ReplicaState::kBad}};
  std::vector<NewReplica> b = {{File("atlas:b1", 7, "00000001"), "", ReplicaState::kAvailable}};
  ASSERT_TRUE(catalog_->AddReplicas(alice_, "T2_EE_DISK", a));
  ASSERT_TRUE(catalog_->AddReplicas(bob_, "T2_EE_DISK", b));
  ASSERT_TRUE(catalog_->AddReplicas(bob_, "T1_DE_DISK", b));
  auto by_rse = catalog_->Usage(alice_, UsageBy::kRse);
  ASSERT_TRUE(by_rse);
  ASSERT_EQ(by_rse->size(), 2u);
  EXPECT_EQ((*by_rse)[1].rse, "T2_EE_DISK");
  EXPECT_EQ((*by_rse)[1].files, 2);
  EXPECT_EQ((*by_rse)[1].bytes, 107);
  auto mine = catalog_->Usage(alice_, UsageBy::kUser);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].account, "alice@local");
  EXPECT_EQ((*mine)[0].bytes, 100);
  EXPECT_EQ(catalog_->Usage(admin_, UsageBy::kUser)->size(), 3u);
  auto vos = catalog_->Usage(admin_, UsageBy::kVo);
  ASSERT_EQ(vos->size(), 3u);
  EXPECT_EQ((*vos)[0].account, "atlas");
}

TEST_F(CatalogTest, ReopeningKeepsEverything) {
  ASSERT_TRUE(catalog_->AddDid(alice_, File("cms:kept", 3, "00000003")));
  catalog_.reset();
  auto c = Catalog::Open(dir_.File("data.db"), clock_);
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)->GetDid(alice_, D("cms:kept"))->bytes, 3);
  EXPECT_EQ((*c)->ListRses()->size(), 2u);
}

}  // namespace
}  // namespace gantry::catalog
