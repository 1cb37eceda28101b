// HttpServer and HttpClient against each other on a temp-dir Unix socket and 127.0.0.1:0.
#include "net/http_server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/test_support.h"

namespace gantry::net {
namespace {

using testing::RawConnection;
using testing::TempDir;

HttpResponse Text(std::string body) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// Echoes what it saw: "METHOD PATH body" plus the peer in headers.
HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response = Text(request.method + " " + request.path + " " + request.body);
  response.headers.emplace_back("X-Peer-Uid", std::to_string(request.peer.uid));
  response.headers.emplace_back("X-Peer-Gid", std::to_string(request.peer.gid));
  response.headers.emplace_back("X-Peer-Pid", std::to_string(request.peer.pid));
  response.headers.emplace_back("X-Peer-Address", request.peer.address);
  response.headers.emplace_back("X-Peer-Kind",
                                request.peer.kind == Peer::Kind::kUnix ? "unix" : "tcp");
  for (const auto& [key, value] : request.query) {
    response.headers.emplace_back("X-Query-" + key, value);
  }
  return response;
}

std::unique_ptr<HttpServer> StartServer(HttpServerOptions options, ServerHandler handler = Echo) {
  auto server = HttpServer::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.has_value()) << server.error().ToString();
  return server ? *std::move(server) : nullptr;
}

std::unique_ptr<HttpClient> Client(const std::string& url, HttpClientOptions options = {}) {
  auto client = HttpClient::Create(url, options);
  EXPECT_TRUE(client.has_value()) << client.error().ToString();
  return client ? *std::move(client) : nullptr;
}

TEST(HttpServerTest, AnswersOnUnixSocketWithPeerCredentials) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  EXPECT_EQ(server->unix_url(), "unix://" + dir.File("g.sock"));
  auto client = Client(server->unix_url());
  auto response = client->Request("POST", "/v1/echo?owner=a%20b&x=1", "hello");
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->body, "POST /v1/echo hello");
  EXPECT_EQ(response->Header("x-peer-kind"), "unix");
  EXPECT_EQ(response->Header("x-peer-uid"), std::to_string(getuid()));
  EXPECT_EQ(response->Header("x-peer-gid"), std::to_string(getgid()));
  EXPECT_EQ(response->Header("x-peer-pid"), std::to_string(getpid()));
  EXPECT_EQ(response->Header("x-peer-address"), dir.File("g.sock"));
  EXPECT_EQ(response->Header("x-query-owner"), "a b");
}

TEST(HttpServerTest, AcceptsBareSocketPathAsClientUrl) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  auto client = Client(dir.File("g.sock"));
  EXPECT_EQ(client->url(), "unix://" + dir.File("g.sock"));
  auto response = client->Request("GET", "/");
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->body, "GET / ");
}

TEST(HttpServerTest, AnswersOnTcpPortZeroWithRemoteAddressAndNoCredentials) {
  auto server = StartServer({.tcp_address = "127.0.0.1:0"});
  ASSERT_NE(server->tcp_port(), 0);
  EXPECT_EQ(server->tcp_url(), "http://127.0.0.1:" + std::to_string(server->tcp_port()));
  auto client = Client(server->tcp_url());
  auto response = client->Request("GET", "/ping");
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->body, "GET /ping ");
  EXPECT_EQ(response->Header("x-peer-kind"), "tcp");
  EXPECT_TRUE(response->Header("x-peer-address").starts_with("127.0.0.1:"));
  EXPECT_EQ(response->Header("x-peer-uid"), std::to_string(Peer::kUnknownId));
  EXPECT_EQ(response->Header("x-peer-pid"), "-1");
}

TEST(HttpServerTest, ServesUnixAndTcpAtOnce) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock"), .tcp_address = "127.0.0.1:0"});
  EXPECT_EQ(Client(server->unix_url())->Request("GET", "/a")->body, "GET /a ");
  EXPECT_EQ(Client(server->tcp_url())->Request("GET", "/b")->body, "GET /b ");
}

TEST(HttpServerTest, SocketFileIsConnectableByEveryLocalUser) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  struct stat st {};
  ASSERT_EQ(stat(dir.File("g.sock").c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0666u);
}

TEST(HttpServerTest, KeepAliveServesManySequentialRequestsOnOneConnection) {
  auto server = StartServer({.tcp_address = "127.0.0.1:0"});
  auto client = Client(server->tcp_url());
  std::set<std::string> peers;
  for (int i = 0; i < 500; ++i) {
    auto response = client->Request("POST", "/n", std::to_string(i));
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    ASSERT_EQ(response->body, "POST /n " + std::to_string(i));
    peers.insert(std::string(response->Header("x-peer-address")));
  }
  EXPECT_EQ(peers.size(), 1u) << "every request came from the same client port";
  EXPECT_EQ(server->open_connections(), 1u);
}

TEST(HttpServerTest, FiftyConcurrentClientsGetTheirOwnAnswers) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t) {
    threads.emplace_back([&, t] {
      auto client = Client(server->unix_url());
      for (int i = 0; i < 100; ++i) {
        std::string body = std::to_string(t) + "/" + std::to_string(i);
        auto response = client->Request("POST", "/c", body);
        if (response && response->body == "POST /c " + body) ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 50 * 100);
}

TEST(HttpServerTest, BlockingHandlerDoesNotStallOtherConnections) {
  TempDir dir;
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  std::atomic<bool> slow_entered{false};
  auto server =
      StartServer({.unix_socket_path = dir.File("g.sock")}, [&](const HttpRequest& request) {
        if (request.path == "/slow") {
          slow_entered = true;
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return released; });
        }
        return Echo(request);
      });
  std::thread slow([&] {
    auto response = Client(server->unix_url())->Request("GET", "/slow");
    EXPECT_TRUE(response.has_value());
  });
  ASSERT_TRUE(testing::Eventually([&] { return slow_entered.load(); }));
  // While /slow is blocked, other connections are served (a stall would time out here).
  HttpClientOptions options{.request_timeout = std::chrono::seconds(10)};
  std::vector<std::thread> fast;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    fast.emplace_back([&] {
      auto client = Client(server->unix_url(), options);
      for (int i = 0; i < 50; ++i) ok += client->Request("GET", "/fast").has_value();
    });
  }
  for (std::thread& thread : fast) thread.join();
  EXPECT_EQ(ok.load(), 200);
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  slow.join();
}

TEST(HttpServerTest, GarbageGets400AndTheServerKeepsServing) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  RawConnection raw(dir.File("g.sock"));
  ASSERT_TRUE(raw.connected());
  raw.Send("\x16\x03\x01 this is not http\r\n\r\n");
  HttpResponse response = raw.ReadResponse();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_TRUE(response.body.starts_with("{\"error\": \"malformed request line")) << response.body;
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_TRUE(raw.ReadsEof());
  EXPECT_EQ(Client(server->unix_url())->Request("GET", "/ok")->status, 200);
}

TEST(HttpServerTest, OversizedBodyGets413) {
  TempDir dir;
  auto server =
      StartServer({.unix_socket_path = dir.File("g.sock"), .limits = {.max_body_bytes = 1024}});
  auto client = Client(server->unix_url());
  auto response = client->Request("POST", "/upload", std::string(200 * 1024, 'x'));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("exceeds the limit of 1024 bytes"), std::string::npos);
  auto small = client->Request("POST", "/upload", std::string(1024, 'x'));
  ASSERT_TRUE(small.has_value()) << small.error().ToString();
  EXPECT_EQ(small->status, 200);
}

TEST(HttpServerTest, BodyFarOverTheLimitStillGets413NotAResetConnection) {
  // The server stops reading long before the client stops sending; the client must still
  // report the server's 413 rather than "connection lost".
  TempDir dir;
  auto server =
      StartServer({.unix_socket_path = dir.File("g.sock"), .limits = {.max_body_bytes = 1024}});
  auto response = Client(server->unix_url())->Request("POST", "/up", std::string(40 << 20, 'x'));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 413);
}

TEST(HttpServerTest, OversizedHeadersGet431) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  RawConnection raw(dir.File("g.sock"));
  raw.Send("GET / HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(raw.ReadResponse().status, 431);
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  RawConnection raw(dir.File("g.sock"));
  raw.Send(
      "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
      "GET /3 HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.ReadResponse().body, "GET /1 ");
  EXPECT_EQ(raw.ReadResponse().body, "POST /2 abc");
  HttpResponse last = raw.ReadResponse();
  EXPECT_EQ(last.body, "GET /3 ");
  EXPECT_EQ(last.Header("connection"), "close");
  EXPECT_TRUE(raw.ReadsEof());
}

TEST(HttpServerTest, ChunkedRequestAndExpectContinueAreUnderstood) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  RawConnection raw(dir.File("g.sock"));
  raw.Send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(raw.ReadResponse().body, "POST /c abc");
  raw.Send("PUT /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  // The parser skips the interim 100; the body is sent only after the server asked.
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    raw.Send("hi");
  });
  EXPECT_EQ(raw.ReadResponse().body, "PUT /e hi");
  sender.join();
}

TEST(HttpServerTest, HeadResponseHasLengthButNoBody) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  auto client = Client(server->unix_url());
  auto head = client->Request("HEAD", "/x");
  ASSERT_TRUE(head.has_value()) << head.error().ToString();
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->Header("content-length"), "8");  // "HEAD /x "
  EXPECT_EQ(client->Request("GET", "/y")->body, "GET /y ") << "connection still in sync";
}

TEST(HttpServerTest, HandlerThatThrowsGets500) {
  TempDir dir;
  auto server =
      StartServer({.unix_socket_path = dir.File("g.sock")},
                  [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
  auto response = Client(server->unix_url())->Request("GET", "/");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, R"({"error": "internal error: boom"})");
}

TEST(HttpServerTest, ReplacesStaleSocketFile) {
  TempDir dir;
  std::string path = dir.File("g.sock");
  {
    // A server that died without cleaning up: a socket file nobody listens on.
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    close(fd);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  auto server = StartServer({.unix_socket_path = path});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Client(path)->Request("GET", "/")->status, 200);
}

TEST(HttpServerTest, RefusesSocketWhereAnotherServerListens) {
  TempDir dir;
  auto first = StartServer({.unix_socket_path = dir.File("g.sock")});
  auto second = HttpServer::Start({.unix_socket_path = dir.File("g.sock")}, Echo);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(second.error().message(), "another server is already listening on " +
                                          dir.File("g.sock") +
                                          " (stop it first, or choose another socket path)");
  EXPECT_EQ(Client(first->unix_url())->Request("GET", "/")->status, 200)
      << "the failed start left the first server's socket alone";
}

TEST(HttpServerTest, RefusesToReplaceAFileThatIsNotASocket) {
  TempDir dir;
  std::string path = dir.File("notes.txt");
  FILE* file = fopen(path.c_str(), "w");
  fputs("keep me", file);
  fclose(file);
  auto server = HttpServer::Start({.unix_socket_path = path}, Echo);
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(HttpServerTest, StopClosesIdleConnectionsAndRemovesSocketFile) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock")});
  auto client = Client(server->unix_url());
  ASSERT_TRUE(client->Request("GET", "/").has_value());
  RawConnection idle(dir.File("g.sock"));
  ASSERT_TRUE(testing::Eventually([&] { return server->open_connections() == 2; }));
  server->Stop();
  EXPECT_FALSE(std::filesystem::exists(dir.File("g.sock")));
  EXPECT_EQ(server->open_connections(), 0u);
  EXPECT_TRUE(idle.ReadsEof());
  server->Stop();  // idempotent
}

TEST(HttpServerTest, StartWithoutListenerIsAnError) {
  auto server = HttpServer::Start({}, Echo);
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument);
}

TEST(HttpServerTest, TooLongSocketPathIsAClearError) {
  auto server = HttpServer::Start({.unix_socket_path = "/tmp/" + std::string(200, 'x')}, Echo);
  ASSERT_FALSE(server.has_value());
  EXPECT_NE(server.error().message().find("the limit is 107"), std::string::npos);
}

TEST(HttpServerTest, ConnectionsOverTheLimitGet503) {
  TempDir dir;
  auto server = StartServer({.unix_socket_path = dir.File("g.sock"), .max_connections = 1});
  RawConnection first(dir.File("g.sock"));
  ASSERT_TRUE(testing::Eventually([&] { return server->open_connections() == 1; }));
  RawConnection second(dir.File("g.sock"));
  EXPECT_EQ(second.ReadResponse().status, 503);
}

}  // namespace
}  // namespace gantry::net
