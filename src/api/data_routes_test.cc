// DataRoutes through a router: the caller authenticated and agents refused, a POST's body
// parsed ({} when empty, 400 when not JSON), a {scope}/{name} DID validated before the
// handler runs.
#include "api/data_routes.h"

#include <gtest/gtest.h>

#include "api/routes.h"
#include "base/temp_dir.h"
#include "identity/mint.h"

namespace gantry::api {
namespace {

using nlohmann::json;

class DataRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = identity::LoadSite(dir_.path(), identity::KeyMode::kCreate).value();
    config_ = {500, 500, &site_, &clock_};
    DataRoutes routes(router_, config_);
    auto echo = [](const DataCall& c) -> Result<net::HttpResponse> {
      return JsonReply({{"who", c.who.Display()},
                        {"body", c.body},
                        {"did", c.did.scope.empty() ? "" : c.did.ToString()}});
    };
    routes.Add("GET", "/v1/things", echo);
    routes.Add("POST", "/v1/things", echo);
    routes.Add("GET", "/v1/things/{scope}/{name}", echo);
  }
  net::HttpResponse Call(std::string method, std::string path, std::string body = "",
                         std::string token = "") {
    net::HttpRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    if (token.empty()) {
      r.peer.kind = net::Peer::Kind::kUnix;
      r.peer.uid = r.peer.gid = 1000;
    } else {
      r.peer.kind = net::Peer::Kind::kTcp;
      r.headers["authorization"] = "Bearer " + token;
    }
    return router_.Dispatch(r);
  }

  TempDir dir_;
  FakeClock clock_;
  identity::Site site_;
  AuthConfig config_;
  net::Router router_;
};

TEST_F(DataRoutesTest, APostGetsItsBodyParsedAndAnEmptyOneIsAnObject) {
  auto r = Call("POST", "/v1/things", R"({"a": 1})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["body"]["a"], 1);
  r = Call("POST", "/v1/things");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(r.body)["body"].is_object());
  EXPECT_TRUE(json::parse(Call("GET", "/v1/things").body)["body"].is_null());
}

TEST_F(DataRoutesTest, ABodyThatIsNotJsonGets400) {
  auto r = Call("POST", "/v1/things", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"], "the request body is not valid JSON");
}

TEST_F(DataRoutesTest, TheDidOfThePathIsValidatedBeforeTheHandler) {
  auto r = Call("GET", "/v1/things/cms/f1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["did"], "cms:f1");
  EXPECT_EQ(json::parse(Call("GET", "/v1/things").body)["did"], "");
  EXPECT_EQ(Call("GET", "/v1/things/" + std::string(31, 'a') + "/f1").status, 400);
}

TEST_F(DataRoutesTest, AnAgentCredentialIsRefused) {
  auto token = identity::MintToken(site_.key, site_.issuer,
                                   {"agent:node1", {}, "gantry.agent", 600, {}}, clock_);
  ASSERT_TRUE(token) << token.error().message();
  auto r = Call("GET", "/v1/things", "", *token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("may only use the agent protocol"),
            std::string::npos);
}

TEST_F(DataRoutesTest, FieldsAreCheckedByType) {
  json body = {{"s", "x"}, {"n", 7}};
  EXPECT_EQ(TextField(body, "s").value(), "x");
  EXPECT_EQ(TextField(body, "missing", false).value(), "");
  EXPECT_FALSE(TextField(body, "missing").has_value());
  EXPECT_FALSE(TextField(body, "n", false).has_value());
  EXPECT_EQ(IntField(body, "n", 3).value(), 7);
  EXPECT_EQ(IntField(body, "missing", 3).value(), 3);
  EXPECT_FALSE(IntField(body, "s", 3).has_value());
}

}  // namespace
}  // namespace gantry::api
