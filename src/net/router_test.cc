#include "net/router.h"

#include <gtest/gtest.h>

namespace gantry::net {
namespace {

HttpResponse Text(std::string body) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

HttpRequest Make(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/v1/jobs", [](const HttpRequest&) { return Text("list"); });
    router_.Add("POST", "/v1/jobs", [](const HttpRequest&) { return Text("submit"); });
    router_.Add("GET", "/v1/jobs/{id}",
                [](const HttpRequest& r) { return Text("job " + std::string(r.Param("id"))); });
    router_.Add("GET", "/v1/jobs/stats", [](const HttpRequest&) { return Text("stats"); });
    router_.Add("DELETE", "/v1/jobs/{id}",
                [](const HttpRequest& r) { return Text("cancel " + std::string(r.Param("id"))); });
    router_.Add("GET", "/v1/jobs/{id}/events/{seq}", [](const HttpRequest& r) {
      return Text(std::string(r.Param("id")) + "#" + std::string(r.Param("seq")));
    });
    router_.Add("GET", "/", [](const HttpRequest&) { return Text("root"); });
  }

  HttpResponse Call(std::string method, std::string path) {
    HttpRequest request = Make(std::move(method), std::move(path));
    return router_.Dispatch(request);
  }

  Router router_;
};

TEST_F(RouterTest, DispatchesByMethodAndPath) {
  EXPECT_EQ(Call("GET", "/v1/jobs").body, "list");
  EXPECT_EQ(Call("POST", "/v1/jobs").body, "submit");
  EXPECT_EQ(Call("DELETE", "/v1/jobs/7").body, "cancel 7");
  EXPECT_EQ(Call("GET", "/").body, "root");
}

TEST_F(RouterTest, CapturesSegmentsUrlDecoded) {
  EXPECT_EQ(Call("GET", "/v1/jobs/42").body, "job 42");
  EXPECT_EQ(Call("GET", "/v1/jobs/a%2Fb%20c").body, "job a/b c");
  EXPECT_EQ(Call("GET", "/v1/jobs/9/events/3").body, "9#3");
}

TEST_F(RouterTest, LiteralSegmentBeatsCaptureWhateverTheOrderOfAdd) {
  EXPECT_EQ(Call("GET", "/v1/jobs/stats").body, "stats");
}

TEST_F(RouterTest, UnknownPathIs404WithJsonError) {
  HttpResponse response = Call("GET", "/v1/nothing");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error": "no such endpoint: GET /v1/nothing"})");
  EXPECT_EQ(Call("GET", "/v1/jobs/").status, 404) << "an empty segment matches no capture";
  EXPECT_EQ(Call("GET", "/v1/jobs/1/events").status, 404);
}

TEST_F(RouterTest, KnownPathWithOtherMethodIs405WithAllowHeader) {
  HttpResponse response = Call("PUT", "/v1/jobs/5");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("allow"), "DELETE, GET");
  EXPECT_NE(response.body.find("method PUT is not allowed for /v1/jobs/5"), std::string::npos)
      << response.body;
}

TEST_F(RouterTest, HeadIsAnsweredByTheGetRoute) {
  EXPECT_EQ(Call("HEAD", "/v1/jobs").body, "list");
}

TEST_F(RouterTest, MalformedEscapeInPathIs400) {
  EXPECT_EQ(Call("GET", "/v1/jobs/%zz").status, 400);
}

TEST_F(RouterTest, AsHandlerDispatchesThroughTheRouter) {
  ServerHandler handler = router_.AsHandler();
  HttpRequest request = Make("GET", "/v1/jobs/3");
  EXPECT_EQ(handler(request).body, "job 3");
  EXPECT_EQ(request.params.at("id"), "3");
}

}  // namespace
}  // namespace gantry::net
