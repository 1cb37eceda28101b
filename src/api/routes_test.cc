#include "api/routes.h"

#include <stdlib.h>

#include <gtest/gtest.h>

#include "identity/mint.h"
#include "model/job_spec_json.h"
#include "wire/json.h"

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

// Regression (issue 11): "Authorization: bearer <token>" got 401; RFC 7235 makes the scheme
// case-insensitive.
TEST_F(RoutesTest, TheBearerSchemeIsCaseInsensitive) {
  std::string token = *identity::MintToken(
      site_.key, site_.issuer, {"root", {}, identity::ScopeSet::All().ToString(), 600, {}},
      clock_);
  auto call = [&](std::string header) {
    net::HttpRequest r;
    r.method = "GET";
    r.path = "/v1/whoami";
    r.peer.kind = net::Peer::Kind::kTcp;
    r.headers["authorization"] = header;
    return router_.Dispatch(r).status;
  };
  EXPECT_EQ(call("bearer " + token), 200);
  EXPECT_EQ(call("BEARER " + token), 200);
  EXPECT_EQ(call("Bearer  " + token), 200);
  EXPECT_EQ(call("Bearer" + token), 401);
  EXPECT_EQ(call("bearer"), 401);
  EXPECT_EQ(call("Basic " + token), 401);
  EXPECT_EQ(call("bearer wrong"), 401);
}

// Regression (issue 11): the bodies of the report, each refused with 400 and a message that
// names the field; the server goes on taking jobs afterwards.
TEST_F(RoutesTest, TheIssuesBadBodiesGet400NamingTheField) {
  const std::string head =
      R"({"script":"#!/bin/sh\ntrue\n","submit_dir":"/tmp","working_dir":"/tmp","hold":true,)";
  struct Case {
    std::string fields;
    std::string error;
  };
  const Case cases[] = {
      {R"("array":{"task_runs":[[9223372036854775806,9223372036854775807,1]]})",
       "array task id 9223372036854775806 is out of range: task ids must be from 0 to 4000000, "
       "as for --array"},
      {R"("array":{"task_runs":[[0,9223372036854775807,1]]})",
       "field 'array.task_runs' has too many tasks: an array may have at most 1000000"},
      {R"("time_limit_seconds":10000000000000)",
       "field 'time_limit_seconds' is out of range (got 10000000000000): must be from 0 to "
       "3153600000"},
      {R"("ntasks":2.5)", "field 'ntasks' must be a whole number (got 2.5)"},
      {R"("max_retries":1.9)", "field 'max_retries' must be a whole number (got 1.9)"},
      {R"("ntasks":1e30)", "field 'ntasks' is out of range (got 1e+30): must be from 1 to 1000000"},
      {R"("stdout":"/tmp/a\u0000b")", "field 'stdout' contains a NUL byte"},
      {R"("script_args":["a\u0000b"])", "field 'script_args[0]' contains a NUL byte"},
      {R"("environment":{"A":"1\u00002"})", "field 'environment.A' contains a NUL byte"},
      {R"("array":{"task_ids":[4000001]})",
       "array task id 4000001 is out of range: task ids must be from 0 to 4000000, as for "
       "--array"},
      {R"("nice":-2147483646)",
       "field 'nice' is out of range (got -2147483646): must be from -2147483645 to 2147483645"},
  };
  for (const Case& c : cases) {
    auto r = Call("POST", "/v1/jobs", head + c.fields + "}");
    EXPECT_EQ(r.status, 400) << c.fields << ": " << r.body;
    EXPECT_EQ(json::parse(r.body)["error"], c.error) << c.fields;
  }
  auto named_null = Call("POST", "/v1/jobs", head + R"("name":null})");
  EXPECT_EQ(named_null.status, 201) << named_null.body;
  EXPECT_EQ(Call("POST", "/v1/jobs", SpecBody()).status, 201);
}

// Regression (issue 11): any user could give --nice=-2147483645 and overtake everyone.
TEST_F(RoutesTest, ANegativeNiceIsForbiddenToOrdinaryUsers) {
  json j = json::parse(SpecBody());
  j["nice"] = -2147483645;
  auto r = Call("POST", "/v1/jobs", j.dump(), 1000);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("negative nice"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Call("POST", "/v1/jobs", j.dump(), 500).status, 201);  // the server's own user
  EXPECT_EQ(Call("POST", "/v1/jobs", j.dump(), 0).status, 201);    // root
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
  std::string body = wire::PollRequestToJson(p).dump();
  EXPECT_EQ(Call("POST", "/v1/agents/x/poll", body, 1000).status, 403);
  EXPECT_EQ(Call("POST", "/v1/agents/x/poll", body, 500).status, 200);
  EXPECT_EQ(Call("POST", "/v1/agents/x/poll", "{}", 500).status, 400);
}

}  // namespace
}  // namespace gantry::api
