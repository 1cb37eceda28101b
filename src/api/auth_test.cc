// Authentication and scopes through the real routes: each bad token kind gets a 401 whose
// challenge says why, a token without an endpoint's scope a 403 naming it, and an agent's
// credential reaches the agent protocol only.
#include "api/auth.h"

#include <gtest/gtest.h>

#include "api/routes.h"
#include "base/file.h"
#include "base/temp_dir.h"
#include "identity/base64url.h"
#include "identity/mint.h"
#include "model/job_spec_json.h"
#include "wire/json.h"

namespace gantry::api {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.File("db")).value();
    broker_ = broker::Broker::Create(*store_, clock_, {.partitions = {"local", "prod", "other"}})
                  .value();
    other_ = identity::GenerateSigningKey(identity::Algorithm::kRs256).value();
    EXPECT_TRUE(WriteFileAtomic(dir_.File("other.jwks"), identity::JwksJson({other_})));
    EXPECT_TRUE(WriteFileAtomic(dir_.File("policy"), "submit /cms/Role=production prod\n"));
    EXPECT_TRUE(WriteFileAtomic(dir_.File("identity.conf"),
                                "trust https://other.example/ other.jwks vo=atlas\n"
                                "policy policy\n"));
    site_ = identity::LoadSite(dir_.path(), identity::KeyMode::kCreate).value();
    config_ = {500, 500, &site_, &clock_};
    AddRoutes(router_, *broker_, config_);
  }

  std::string Mint(std::string subject, std::string scope, int64_t lifetime = 600,
                   std::vector<std::string> audience = {}, std::vector<std::string> groups = {}) {
    auto token = identity::MintToken(site_.key, site_.issuer,
                                     {subject, groups, scope, lifetime, audience}, clock_);
    EXPECT_TRUE(token) << token.error().message();
    return token.value_or("");
  }
  std::string All() { return identity::ScopeSet::All().ToString(); }

  net::HttpResponse Call(std::string method, std::string path, std::string authorization,
                         std::string body = "") {
    net::HttpRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.peer.kind = net::Peer::Kind::kTcp;
    if (!authorization.empty()) r.headers["authorization"] = authorization;
    return router_.Dispatch(r);
  }
  net::HttpResponse Bearer(std::string method, std::string path, std::string token,
                           std::string body = "") {
    return Call(method, path, "Bearer " + token, body);
  }
  std::string SpecBody(std::string partition = "") {
    model::JobSpec s;
    s.partition = partition;
    s.script = "#!/bin/sh\ntrue\n";
    s.submit_dir = s.working_dir = "/tmp";
    return model::JobSpecToJson(s).dump();
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<broker::Broker> broker_;
  identity::SigningKey other_;
  identity::Site site_;
  AuthConfig config_;
  net::Router router_;
};

TEST_F(AuthTest, EachBadTokenKindGets401WithAChallengeSayingWhy) {
  std::string good = Mint("root", All());
  std::string sig = good.substr(good.rfind('.') + 1);
  sig[5] = sig[5] == 'A' ? 'B' : 'A';
  std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  auto foreign = identity::MintToken(*identity::GenerateSigningKey(identity::Algorithm::kEs256),
                                     "https://evil.example/", {"root", {}, All(), 600, {}}, clock_);
  struct Case {
    std::string name, authorization, description;
  } cases[] = {
      {"missing", "", "TCP requests need 'Authorization: Bearer <token>'"},
      {"not bearer", "Basic cm9vdDpyb290", "the Authorization header is not 'Bearer <token>'"},
      {"malformed", "Bearer x.y", "the token is malformed"},
      {"expired", "Bearer " + Mint("root", All(), 1), "the token expired at"},
      {"bad signature", "Bearer " + good.substr(0, good.rfind('.') + 1) + sig,
       "the token's signature does not verify"},
      {"wrong audience", "Bearer " + Mint("root", All(), 600, {"https://elsewhere/"}),
       "the token is for audience 'https://elsewhere/'"},
      {"unknown issuer", "Bearer " + *foreign,
       "the issuer 'https://evil.example/' is not trusted here"},
      {"alg none",
       "Bearer " + identity::Base64UrlEncode(R"({"alg":"none"})") + "." + payload + ".",
       "the token's alg 'none' (an unsigned token) is not accepted"},
  };
  clock_.Advance(120 * kMicrosPerSecond);  // past the 1 s token's exp and the 60 s leeway
  for (const Case& c : cases) {
    auto r = Call("GET", "/v1/jobs", c.authorization);
    EXPECT_EQ(r.status, 401) << c.name;
    std::string challenge(r.Header("WWW-Authenticate"));
    EXPECT_TRUE(challenge.starts_with("Bearer error=\"invalid_token\", error_description=\"" +
                                      c.description))
        << c.name << ": " << challenge;
    EXPECT_TRUE(json::parse(r.body)["error"].get<std::string>().starts_with(c.description))
        << c.name;
  }
}

TEST_F(AuthTest, ANotYetValidTokenGets401) {
  std::string later = Mint("root", All());
  clock_.Advance(-120 * kMicrosPerSecond);
  auto r = Bearer("GET", "/v1/jobs", later);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.Header("WWW-Authenticate").find("the token is not valid before"),
            std::string_view::npos);
}

TEST_F(AuthTest, TheAuthorizationSchemeIsCaseInsensitive) {
  std::string token = Mint("root", All());
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR "}) {
    EXPECT_EQ(Call("GET", "/v1/jobs", scheme + token).status, 200) << scheme;
  }
}

TEST_F(AuthTest, AMissingScopeGets403NamingIt) {
  std::string reader = Mint("root", "compute.read");
  EXPECT_EQ(Bearer("GET", "/v1/jobs", reader).status, 200);
  struct Case {
    std::string method, path, scope;
  } cases[] = {
      {"POST", "/v1/jobs", "compute.create"},
      {"POST", "/v1/jobs/1/cancel", "compute.cancel"},
      {"POST", "/v1/cancel-all", "compute.cancel"},
      {"POST", "/v1/jobs/1/hold", "compute.modify"},
      {"POST", "/v1/jobs/1/release", "compute.modify"},
  };
  for (const Case& c : cases) {
    auto r = Bearer(c.method, c.path, reader, SpecBody());
    EXPECT_EQ(r.status, 403) << c.path;
    EXPECT_EQ(json::parse(r.body)["error"],
              "the token of root@" + site_.issuer + " lacks the scope " + c.scope +
                  " (it holds: compute.read)")
        << c.path;
    EXPECT_EQ(r.Header("www-authenticate"),
              "Bearer error=\"insufficient_scope\", scope=\"" + c.scope +
                  "\", error_description=" + "\"the token of root@" + site_.issuer +
                  " lacks the scope " + c.scope + " (it holds: compute.read)\"")
        << c.path;
  }
  std::string submitter = Mint("root", "compute.create");
  EXPECT_EQ(Bearer("POST", "/v1/jobs", submitter, SpecBody()).status, 201);
  EXPECT_EQ(Bearer("GET", "/v1/jobs/1", submitter).status, 403);
}

TEST_F(AuthTest, AnAgentCredentialReachesTheAgentProtocolOnly) {
  std::string agent = Mint("agent:node1", "gantry.agent");
  std::string poll = wire::PollRequestToJson(broker::PollRequest{}).dump();
  EXPECT_EQ(Bearer("POST", "/v1/agents/node1/poll", agent, poll).status, 200);
  auto r = Bearer("GET", "/v1/jobs", agent);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"], "the agent credential of agent:node1@" + site_.issuer +
                                              " may only use the agent protocol");
  EXPECT_EQ(Bearer("POST", "/v1/jobs", agent, SpecBody()).status, 403);
  EXPECT_EQ(Bearer("POST", "/v1/jobs/1/cancel", agent).status, 403);
  auto who = json::parse(Bearer("GET", "/v1/whoami", agent).body);
  EXPECT_EQ(who["kind"], "agent");
}

TEST_F(AuthTest, AUserTokenCannotRunAnAgentUnlessItIsTheServersUser) {
  std::string poll = wire::PollRequestToJson(broker::PollRequest{}).dump();
  auto r = Bearer("POST", "/v1/agents/x/poll", Mint("nobody", All()), poll);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Bearer("POST", "/v1/agents/x/poll", Mint("root", All()), poll).status, 200);
}

TEST_F(AuthTest, ATokenIsTheAccountItMapsTo) {
  auto who = json::parse(Bearer("GET", "/v1/whoami", Mint("nobody", All())).body);
  EXPECT_EQ(who["user"], "nobody");
  EXPECT_EQ(who["kind"], "token");
  EXPECT_EQ(who["issuer"], site_.issuer);
  EXPECT_EQ(who["admin"], false);
  auto r = Bearer("GET", "/v1/whoami", Mint("no-such-user-here", All()));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"],
            "no-such-user-here@" + site_.issuer +
                " maps to the account 'no-such-user-here', which does not exist on this server");
}

TEST_F(AuthTest, ARestrictedPartitionTakesOnlyThePolicysSubmitters) {
  std::string production = Mint("nobody", All(), 600, {}, {"/cms", "/cms/Role=production"});
  std::string member = Mint("nobody", All(), 600, {}, {"/cms"});
  EXPECT_EQ(Bearer("POST", "/v1/jobs", production, SpecBody("prod")).status, 201);
  auto r = Bearer("POST", "/v1/jobs", member, SpecBody("prod"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"],
            "the policy lets only the 'submit' rules of partition 'prod' submit there, and none "
            "names nobody@" + site_.issuer);
  EXPECT_EQ(Bearer("POST", "/v1/jobs", member, SpecBody("other")).status, 201);
  // The server's own user is an admin: no rule stops it.
  EXPECT_EQ(Bearer("POST", "/v1/jobs", Mint("root", All()), SpecBody("prod")).status, 201);
}

TEST_F(AuthTest, TheServersOwnTokenWorksWithoutAPasswdEntry) {
  // uid 500 has no entry here (a container's user): its token's subject is "uid500".
  auto r = Bearer("GET", "/v1/whoami", Mint(UserName(500), All()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["uid"], 500);
  EXPECT_EQ(json::parse(r.body)["admin"], true);
}

TEST_F(AuthTest, AnotherIssuersTokenNeedsTheGridmap) {
  auto token = identity::MintToken(other_, "https://other.example/",
                                   {"8a3e", {"/atlas"}, All(), 600, {}}, clock_);
  auto r = Bearer("GET", "/v1/whoami", *token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"],
            "the gridmap maps 8a3e@https://other.example/ (and its groups and roles) to no "
            "local account");
}

}  // namespace
}  // namespace gantry::api
