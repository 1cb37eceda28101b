#include "api/routes.h"

#include <stdlib.h>

#include <gtest/gtest.h>

#include "api/wire.h"
#include "identity/mint.h"
#include "model/job_spec_json.h"

namespace gantry::api {
namespace {

class RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gantry_api_test_XXXXXX";
    std::string dir = mkdtemp(tmpl);
    store_ = store::OpenSqliteStore(dir + "/db").value();
    broker_ = broker::Broker::Create(*store_, clock_, {}).value();
    site_ = identity::LoadSite(dir, identity::KeyMode::kCreate).value();
    config_ = {500, 500, &site_, &clock_};
    AddRoutes(router_, *broker_, config_);
  }
  net::HttpResponse Call(std::string method, std::string path, std::string body = "",
                         uint32_t uid = 1000, bool tcp = false, std::string token = "") {
    net::HttpRequest r;
    r.method = method;
    r.path = path.substr(0, path.find('?'));
    if (path.find('?') != std::string::npos) {
      std::string q = path.substr(path.find('?') + 1);
      r.query[q.substr(0, q.find('='))] = q.substr(q.find('=') + 1);
    }
    r.body = body;
    r.peer.kind = tcp ? net::Peer::Kind::kTcp : net::Peer::Kind::kUnix;
    if (!tcp) r.peer.uid = r.peer.gid = uid;
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return router_.Dispatch(r);
  }
  std::string SpecBody() {
    model::JobSpec s;
    s.script = "#!/bin/sh\ntrue\n";
    s.submit_dir = s.working_dir = "/tmp";
    return model::JobSpecToJson(s).dump();
  }

  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<broker::Broker> broker_;
  identity::Site site_;
  AuthConfig config_;
  net::Router router_;
};

TEST_F(RoutesTest, SubmitThenQueryTheJob) {
  auto r = Call("POST", "/v1/jobs", SpecBody());
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t id = json::parse(r.body)["job_id"];
  auto status = Call("GET", "/v1/jobs/" + std::to_string(id));
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(json::parse(status.body)["tasks"][0]["state"], "READY");
  auto q = Call("GET", "/v1/jobs");
  EXPECT_EQ(json::parse(q.body)["jobs"].size(), 1u);
}

TEST_F(RoutesTest, BadBodiesGet400WithAMessage) {
  auto r = Call("POST", "/v1/jobs", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("invalid JSON"),
            std::string::npos);
  json j = json::parse(SpecBody());
  j["priority"] = 5;
  r = Call("POST", "/v1/jobs", j.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"], "unknown field 'priority'");
  EXPECT_EQ(Call("GET", "/v1/jobs/abc").status, 400);
  EXPECT_EQ(Call("GET", "/v1/jobs/999").status, 404);
  EXPECT_EQ(Call("GET", "/v1/jobs?state=sleepy").status, 400);
}

TEST_F(RoutesTest, TcpCallersNeedTheToken) {
  EXPECT_EQ(Call("GET", "/v1/whoami", "", 0, /*tcp=*/true).status, 401);
  EXPECT_EQ(Call("GET", "/v1/whoami", "", 0, true, "wrong").status, 401);
  auto token = identity::MintToken(site_.key, site_.issuer,
                                   {"root", {}, identity::ScopeSet::All().ToString(), 600, {}},
                                   clock_);
  auto ok = Call("GET", "/v1/whoami", "", 0, true, *token);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["uid"], 0);
}

TEST_F(RoutesTest, OtherUsersCannotSeeOrCancel) {
  auto r = Call("POST", "/v1/jobs", SpecBody(), 1000);
  std::string id = std::to_string(json::parse(r.body)["job_id"].get<int64_t>());
  EXPECT_EQ(Call("GET", "/v1/jobs/" + id, "", 1001).status, 403);
  EXPECT_EQ(Call("POST", "/v1/jobs/" + id + "/cancel", "", 1001).status, 403);
  EXPECT_EQ(json::parse(Call("GET", "/v1/jobs", "", 1001).body)["jobs"].size(), 0u);
  EXPECT_EQ(Call("POST", "/v1/jobs/" + id + "/cancel", "", 1000).status, 200);
}

TEST_F(RoutesTest, OnlyTheServerUserMayPollAsAnAgent) {
  broker::PollRequest p;
  std::string body = PollRequestToJson(p).dump();
  EXPECT_EQ(Call("POST", "/v1/agents/x/poll", body, 1000).status, 403);
  EXPECT_EQ(Call("POST", "/v1/agents/x/poll", body, 500).status, 200);
  EXPECT_EQ(Call("POST", "/v1/agents/x/poll", "{}", 500).status, 400);
}

}  // namespace
}  // namespace gantry::api
