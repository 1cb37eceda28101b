// The VO file, the gridmap, identity.conf and the site they make up under GANTRY_HOME.
#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/temp_dir.h"
#include "identity/revocations.h"
#include "identity/config.h"
#include "identity/gridmap.h"
#include "identity/jwt.h"
#include "identity/mint.h"
#include "identity/site.h"
#include "identity/vo_file.h"

namespace gantry::identity {
namespace {

TEST(VoFileTest, UsersAndTheirUnixGroupsGetVoMemberships) {
  auto vo = VoFile::Parse(R"(
user  alice     /cms /cms/prod     # alice works on CMS production
user  carol     /cms/Role=admin
group atlasers  /atlas
)");
  ASSERT_TRUE(vo) << vo.error().message();
  Identity alice;
  vo->Apply("alice", {"users"}, alice);
  EXPECT_EQ(alice.vo, "cms");
  EXPECT_EQ(alice.groups, (std::vector<std::string>{"/cms", "/cms/prod"}));
  Identity carol;
  vo->Apply("carol", {"atlasers"}, carol);
  EXPECT_EQ(carol.vo, "cms");
  EXPECT_EQ(carol.roles, (std::vector<std::string>{"/cms/Role=admin"}));
  EXPECT_TRUE(carol.HasGroup("/atlas"));
  EXPECT_TRUE(vo->NamesUnixGroups());
  EXPECT_FALSE(VoFile::Parse("user alice /cms\n")->NamesUnixGroups());
  Identity nobody;
  vo->Apply("nobody", {}, nobody);
  EXPECT_TRUE(nobody.groups.empty());
  EXPECT_EQ(nobody.vo, "");
}

TEST(VoFileTest, BadLinesNameTheirLine) {
  auto vo = VoFile::Parse("user alice /cms\nuser bob cms\n");
  ASSERT_FALSE(vo);
  EXPECT_EQ(vo.error().message(),
            "vo:2: 'cms' is not a group or role such as /cms or /cms/Role=prod");
  EXPECT_EQ(VoFile::Parse("member alice /cms").error().message(),
            "vo:1: expected 'user NAME FQAN...' or 'group NAME FQAN...'");
}

TEST(GridmapTest, PersonLinesWinOverGroupLinesThenFileOrder) {
  auto map = Gridmap::Parse(R"(
"/cms/Role=production"                  cmsprod
"/cms"                                  cms001
"https://iam.example.org/ 8a3e-alice"   alice
)");
  ASSERT_TRUE(map) << map.error().message();
  Identity alice;
  alice.issuer = "https://iam.example.org/";
  alice.subject = "8a3e-alice";
  AddGroupsAndRoles({"/cms", "/cms/Role=production"}, alice);
  EXPECT_EQ(map->Map(alice).value_or(""), "alice");
  Identity prod = alice;
  prod.subject = "someone";
  EXPECT_EQ(map->Map(prod).value_or(""), "cmsprod");
  Identity member;
  member.issuer = "x";
  member.subject = "y";
  AddGroupsAndRoles({"/cms/prod"}, member);
  EXPECT_EQ(map->Map(member).value_or(""), "cms001");
  Identity stranger;
  stranger.issuer = "x";
  stranger.subject = "z";
  auto none = map->Map(stranger);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message(),
            "the gridmap maps z@x (and its groups and roles) to no local account");
}

TEST(GridmapTest, RefusesLinesThatNameNoOne) {
  EXPECT_FALSE(Gridmap::Parse("\"justoneword\" alice\n"));
  EXPECT_FALSE(Gridmap::Parse("\"/cms\"\n"));
  EXPECT_FALSE(Gridmap::Parse("\"/cms\n"));
}

TEST(IdentityConfigTest, ReadsEverySettingAndResolvesPathsAgainstItsDirectory) {
  auto config = ParseIdentityConfig(R"(
issuer   https://gantry.example.org
audience https://gantry.example.org
audience gantry
trust    https://cms-auth.cern.ch/ cms.jwks vo=cms
trust    https://other/ /etc/other.jwks
vo-file  vo
policy   /etc/gantry/policy
gridmap  gridmap
revoke   jti-1
revoke   jti-2
)", "/home/g");
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->issuer, "https://gantry.example.org");
  EXPECT_EQ(config->audiences, (std::vector<std::string>{"https://gantry.example.org", "gantry"}));
  ASSERT_EQ(config->trusted.size(), 2u);
  EXPECT_EQ(config->trusted[0].jwks_path, "/home/g/cms.jwks");
  EXPECT_EQ(config->trusted[0].vo, "cms");
  EXPECT_EQ(config->trusted[1].jwks_path, "/etc/other.jwks");
  EXPECT_EQ(config->vo_file, "/home/g/vo");
  EXPECT_EQ(config->policy_file, "/etc/gantry/policy");
  EXPECT_EQ(config->revoked, (std::vector<std::string>{"jti-1", "jti-2"}));
  EXPECT_EQ(ParseIdentityConfig("", "/h")->audiences, (std::vector<std::string>{"gantry"}));
  EXPECT_EQ(ParseIdentityConfig("trusts x y", "/h").error().message(),
            "identity.conf:1: unknown setting 'trusts' (issuer, audience, trust, vo-file, "
            "policy, gridmap, revoke)");
}

TEST(SiteTest, AServerCreatesItsIssuerAndAClientThenMintsTokensItAccepts) {
  TempDir home;
  EXPECT_EQ(LoadSite(home.path(), KeyMode::kMustExist).error().code(), ErrorCode::kNotFound);
  auto server = LoadSite(home.path(), KeyMode::kCreate);
  ASSERT_TRUE(server) << server.error().message();
  EXPECT_TRUE(FileExists(SiteLayout(home.path()).jwks()));
  auto client = LoadSite(home.path(), KeyMode::kMustExist);
  ASSERT_TRUE(client) << client.error().message();
  EXPECT_EQ(client->key.kid, server->key.kid);
  SystemClock clock;
  auto token = MintToken(client->key, client->issuer, {"alice", {"/cms"}, "compute.read", 60, {}},
                         clock);
  ASSERT_TRUE(token);
  auto identity = server->verifier.Verify(*token, clock);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->subject, "alice");
  // A client without the private key verifies with the public issuer.jwks.
  auto inspector = LoadSite(home.path(), KeyMode::kPublicOnly);
  ASSERT_TRUE(inspector) << inspector.error().message();
  EXPECT_TRUE(inspector->key.private_pem.empty());
  EXPECT_TRUE(inspector->verifier.Verify(*token, clock));
}

TEST(SiteTest, TrustsTheIssuersItsConfigNamesAndReadsTheirFiles) {
  TempDir home;
  auto other = GenerateSigningKey(Algorithm::kRs256);
  ASSERT_TRUE(WriteFileAtomic(home.File("other.jwks"), JwksJson({*other})));
  ASSERT_TRUE(WriteFileAtomic(home.File("policy"), "see-vo /cms/Role=admin\n"));
  ASSERT_TRUE(WriteFileAtomic(home.File("identity.conf"),
                              "issuer https://me/\naudience https://me/\n"
                              "trust https://other/ other.jwks vo=cms\npolicy policy\n"));
  auto site = LoadSite(home.path(), KeyMode::kCreate);
  ASSERT_TRUE(site) << site.error().message();
  EXPECT_EQ(site->issuer, "https://me/");
  SystemClock clock;
  auto token = MintToken(*other, "https://other/", {"x", {}, "", 60, {"https://me/"}}, clock);
  auto identity = site->verifier.Verify(*token, clock);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->vo, "cms");
  Identity admin;
  AddGroupsAndRoles({"/cms/Role=admin"}, admin);
  EXPECT_TRUE(site->policy.CanSeeJob(admin, *identity));
}

TEST(SiteTest, OneRevokedAgentCredentialIsRefusedAndTheOthersStillWork) {
  TempDir home;
  auto site = LoadSite(home.path(), KeyMode::kCreate);
  ASSERT_TRUE(site);
  SystemClock clock;
  MintRequest agent{"agent-node1", {}, "gantry.agent", 600, {}};
  std::string first = *MintToken(site->key, site->issuer, agent, clock);
  std::string second = *MintToken(site->key, site->issuer, agent, clock);
  ASSERT_TRUE(WriteFileAtomic(home.File("identity.conf"),
                              "revoke " + DecodeToken(first)->claims.jti + "\n"));
  auto restarted = LoadSite(home.path(), KeyMode::kCreate);
  ASSERT_TRUE(restarted) << restarted.error().message();
  auto refused = restarted->verifier.Verify(first, clock);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().problem, TokenProblem::kRevoked);
  EXPECT_TRUE(restarted->verifier.Verify(second, clock));
}

TEST(SiteTest, AMissingConfiguredFileIsAnErrorNamingIt) {
  TempDir home;
  ASSERT_TRUE(WriteFileAtomic(home.File("identity.conf"), "gridmap nowhere\n"));
  auto site = LoadSite(home.path(), KeyMode::kCreate);
  ASSERT_FALSE(site);
  EXPECT_NE(site.error().message().find(home.File("nowhere")), std::string::npos)
      << site.error().message();
}

}  // namespace
}  // namespace gantry::identity

namespace gantry::identity {
namespace {

TEST(RevocationsTest, AJtiOrASubjectsEarlierTokensAreRefusedAndTheListIsKept) {
  char tmpl[] = "/tmp/gantry_revoked_XXXXXX";
  std::string path = std::string(mkdtemp(tmpl)) + "/revoked";
  Identity node7;
  node7.subject = "agent-node7";
  node7.issuer = "https://node1/gantry";
  node7.token_id = "j7";
  node7.issued_at = 100;
  Identity node8 = node7;
  node8.subject = "agent-node8";
  node8.token_id = "j8";
  {
    auto list = Revocations::Open(path).value();
    EXPECT_FALSE(list->Check(node7));
    ASSERT_TRUE(list->Add({"j7", "", "", 0}));
    ASSERT_TRUE(list->Add({"", "https://node1/gantry", "agent-node8", 100}));
    EXPECT_EQ(*list->Check(node7), "the token j7 of agent-node7 was revoked");
    EXPECT_TRUE(list->Check(node8));
    EXPECT_FALSE(list->Add({"", "", "x\ny", 1}));
  }
  auto reopened = Revocations::Open(path).value();
  EXPECT_TRUE(reopened->Check(node7));
  EXPECT_TRUE(reopened->Check(node8));
  node8.issued_at = 101;  // minted after the revocation
  node8.token_id = "j8b";
  EXPECT_FALSE(reopened->Check(node8));
  EXPECT_FALSE(Revocations::Parse("subject only-two words\n", "revoked"));
}

}  // namespace
}  // namespace gantry::identity
