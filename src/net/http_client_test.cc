// HttpClient: URLs, error messages a person can act on, reconnection and timeouts.
#include "net/http_client.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "net/http_server.h"
#include "net/internal/socket.h"
#include "net/test_support.h"

namespace gantry::net {
namespace {

using testing::TempDir;

HttpResponse Hello(const HttpRequest& request) {
  HttpResponse response;
  response.body = "{\"path\": \"" + request.path + "\"}";
  return response;
}

TEST(HttpClientTest, RejectsUrlsItCannotUse) {
  for (const char* url : {"", "relative/path.sock", "https://127.0.0.1", "http://127.0.0.1",
                          "http://127.0.0.1:99999", "http://127.0.0.1:80/api", "ftp://x"}) {
    auto client = HttpClient::Create(url);
    ASSERT_FALSE(client.has_value()) << url;
    EXPECT_EQ(client.error().code(), ErrorCode::kInvalidArgument) << url;
  }
}

TEST(HttpClientTest, AcceptsTheFourUrlForms) {
  EXPECT_EQ((*HttpClient::Create("unix:///run/g.sock"))->url(), "unix:///run/g.sock");
  EXPECT_EQ((*HttpClient::Create("/run/g.sock"))->url(), "unix:///run/g.sock");
  EXPECT_EQ((*HttpClient::Create("http://127.0.0.1:8080/"))->url(), "http://127.0.0.1:8080");
  EXPECT_EQ((*HttpClient::Create("https://127.0.0.1:8443"))->url(), "https://127.0.0.1:8443");
}

TEST(HttpClientTest, MissingSocketSaysWhatToDo) {
  auto client = *HttpClient::Create("unix:///x/y.sock");
  auto response = client->Request("GET", "/v1/jobs");
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().message(),
            "cannot connect to the Gantry server at unix:///x/y.sock: No such file or directory "
            "(is `gantry up` running?)");
}

TEST(HttpClientTest, RefusedTcpConnectionSaysWhatToDo) {
  // A port that was just free: bind to :0, note the port, close.
  uint16_t port;
  {
    auto listener = internal::ListenTcp("127.0.0.1:0");
    ASSERT_TRUE(listener.has_value());
    port = listener->second;
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto response = (*HttpClient::Create(url))->Request("GET", "/");
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().message(), "cannot connect to the Gantry server at " + url +
                                            ": Connection refused (is `gantry up` running?)");
}

TEST(HttpClientTest, RequestPathMustBeAbsolute) {
  auto response = (*HttpClient::Create("/x.sock"))->Request("GET", "v1/jobs");
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code(), ErrorCode::kInvalidArgument);
}

TEST(HttpClientTest, ReconnectsWhenTheServerClosedTheIdleConnection) {
  TempDir dir;
  auto server = *HttpServer::Start(
      {.unix_socket_path = dir.File("g.sock"), .idle_timeout = std::chrono::milliseconds(50)},
      Hello);
  auto client = *HttpClient::Create(server->unix_url());
  ASSERT_TRUE(client->Request("GET", "/1").has_value());
  ASSERT_TRUE(testing::Eventually([&] { return server->open_connections() == 0; }));
  auto again = client->Request("GET", "/2");
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(again->body, R"({"path": "/2"})");
}

TEST(HttpClientTest, ReconnectsToARestartedServer) {
  TempDir dir;
  auto first = *HttpServer::Start({.unix_socket_path = dir.File("g.sock")}, Hello);
  auto client = *HttpClient::Create(first->unix_url());
  ASSERT_TRUE(client->Request("GET", "/1").has_value());
  first->Stop();
  auto down = client->Request("GET", "/down");
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code(), ErrorCode::kUnavailable);
  auto second = *HttpServer::Start({.unix_socket_path = dir.File("g.sock")}, Hello);
  auto up = client->Request("GET", "/up");
  ASSERT_TRUE(up.has_value()) << up.error().ToString();
  EXPECT_EQ(up->body, R"({"path": "/up"})");
}

TEST(HttpClientTest, ServerThatNeverAnswersGivesDeadlineExceeded) {
  TempDir dir;
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  auto server =
      *HttpServer::Start({.unix_socket_path = dir.File("g.sock")}, [&](const HttpRequest& request) {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return released; });
        return Hello(request);
      });
  auto client =
      *HttpClient::Create(server->unix_url(), {.request_timeout = std::chrono::milliseconds(100)});
  auto response = client->Request("GET", "/v1/wait");
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(response.error().message(),
            "GET /v1/wait to the Gantry server at " + server->unix_url() +
                ": no response within 100 ms (raise the client's request timeout if this is "
                "expected)");
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
}

TEST(HttpClientTest, SendsExtraHeadersAndJsonContentType) {
  TempDir dir;
  auto server =
      *HttpServer::Start({.unix_socket_path = dir.File("g.sock")}, [](const HttpRequest& request) {
        HttpResponse response;
        response.body = std::string(request.Header("content-type")) + "|" +
                        std::string(request.Header("authorization"));
        return response;
      });
  auto client = *HttpClient::Create(server->unix_url());
  EXPECT_EQ(client->Request("POST", "/", "{}", {{"Authorization", "Bearer t"}})->body,
            "application/json|Bearer t");
  EXPECT_EQ(client->Request("POST", "/", "a=1", {{"Content-Type", "text/plain"}})->body,
            "text/plain|");
}

TEST(HttpClientTest, LargeBodiesTravelBothWays) {
  TempDir dir;
  auto server =
      *HttpServer::Start({.unix_socket_path = dir.File("g.sock")}, [](const HttpRequest& request) {
        HttpResponse response;
        response.body = request.body + request.body;
        return response;
      });
  std::string body(8 * 1024 * 1024, 'z');
  body[12345] = 'q';
  auto response = (*HttpClient::Create(server->unix_url()))->Request("PUT", "/big", body);
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->body, body + body);
}

}  // namespace
}  // namespace gantry::net
