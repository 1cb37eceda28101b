// TLS on the TCP transport: a client that trusts the server's CA gets answers; any other
// certificate, host name or plain client is refused; a token never goes over plain TCP to
// a host that is not the loopback. The tests make their own CA with the openssl command.
#include "net/tls.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "net/http_client.h"
#include "net/http_server.h"
#include "net/test_support.h"

namespace gantry::net {
namespace {

using testing::TempDir;

// A CA, a server certificate it signed for IP 127.0.0.1, and a second CA that signed
// nothing of ours.
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("gantry-tls");
    std::string d = dir_->path();
    std::string script =
        "set -e; cd '" + d + "'; exec >openssl.log 2>&1\n"
        "for ca in ca other; do\n"
        "  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
        "    -subj /CN=test-$ca -keyout $ca.key -out $ca.pem\n"
        "done\n"
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=server "
        "  -keyout server.key -out server.csr\n"
        "printf 'subjectAltName=IP:127.0.0.1\\n' >ext.cnf\n"
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "  -extfile ext.cnf -out server.pem\n";
    ASSERT_EQ(std::system(("bash -c \"$(cat <<'GANTRY_EOF'\n" + script + "GANTRY_EOF\n)\"").c_str()),
              0)
        << "openssl failed; see " << d << "/openssl.log";
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string File(const std::string& name) { return dir_->File(name); }

  void StartServer() {
    auto tls = TlsContext::ForServer(File("server.pem"), File("server.key"));
    ASSERT_TRUE(tls.has_value()) << tls.error().message();
    HttpServerOptions options{.unix_socket_path = socket_dir_.File("s.sock"),
                              .tcp_address = "127.0.0.1:0",
                              .tls = *tls};
    auto server = HttpServer::Start(options, [](const HttpRequest& request) {
      HttpResponse response;
      response.body = request.peer.tls ? "tls:" + request.body : "plain:" + request.body;
      return response;
    });
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = *std::move(server);
  }

  Result<HttpResponse> Get(const std::string& url, const std::string& ca_file,
                           std::string_view body = "x") {
    HttpClientOptions options;
    options.ca_file = ca_file;
    options.request_timeout = std::chrono::seconds(10);
    GANTRY_ASSIGN_OR_RETURN(auto client, HttpClient::Create(url, options));
    return client->Request("POST", "/", body);
  }
  std::string Url(const std::string& scheme, const std::string& host = "127.0.0.1") {
    return scheme + "://" + host + ":" + std::to_string(server_->tcp_port());
  }

  static TempDir* dir_;
  TempDir socket_dir_;
  std::unique_ptr<HttpServer> server_;
};
TempDir* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, AClientThatTrustsTheCaIsAnswered) {
  StartServer();
  EXPECT_EQ(server_->tcp_url(), Url("https"));
  auto response = Get(Url("https"), File("ca.pem"));
  ASSERT_TRUE(response.has_value()) << response.error().message();
  EXPECT_EQ(response->body, "tls:x");
}

TEST_F(TlsTest, KeepAliveCarriesManyRequestsAndLargeBodies) {
  StartServer();
  HttpClientOptions options;
  options.ca_file = File("ca.pem");
  auto client = *HttpClient::Create(Url("https"), options);
  std::string big(5 * 1024 * 1024 + 17, 'b');
  for (int i = 0; i < 3; ++i) {
    auto response = client->Request("POST", "/", big);
    ASSERT_TRUE(response.has_value()) << response.error().message();
    EXPECT_EQ(response->body.size(), big.size() + 4);
  }
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(TlsTest, TheUnixSocketStaysPlain) {
  StartServer();
  auto response = Get("unix://" + socket_dir_.File("s.sock"), "");
  ASSERT_TRUE(response.has_value()) << response.error().message();
  EXPECT_EQ(response->body, "plain:x");
}

TEST_F(TlsTest, ACertificateFromAnotherCaIsRefused) {
  StartServer();
  auto response = Get(Url("https"), File("other.pem"));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message().find("not trusted"), std::string::npos)
      << response.error().message();
}

TEST_F(TlsTest, ACertificateForAnotherHostIsRefused) {
  StartServer();
  // The certificate names IP 127.0.0.1 only; "localhost" is another name.
  auto response = Get(Url("https", "localhost"), File("ca.pem"));
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message().find("not trusted for localhost"), std::string::npos)
      << response.error().message();
}

TEST_F(TlsTest, APlainClientGetsNoAnswer) {
  StartServer();
  auto response = Get(Url("http"), "");
  EXPECT_FALSE(response.has_value());
}

TEST_F(TlsTest, AServerKeyThatDoesNotMatchIsRefusedNamingTheFiles) {
  auto tls = TlsContext::ForServer(File("server.pem"), File("other.key"));
  ASSERT_FALSE(tls.has_value());
  EXPECT_NE(tls.error().message().find("other.key"), std::string::npos) << tls.error().message();
  auto missing = TlsContext::ForServer(File("nope.pem"), File("server.key"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("nope.pem"), std::string::npos);
  auto ca = TlsContext::ForClient(File("nope-ca.pem"));
  ASSERT_FALSE(ca.has_value());
  EXPECT_NE(ca.error().message().find("nope-ca.pem"), std::string::npos);
}

TEST(TlsPolicyTest, OnlyTheLoopbackMayReceiveATokenOverPlainTcp) {
  for (const char* host : {"127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"10.0.0.1", "192.168.1.1", "128.0.0.1", "::2", "example.org",
                           "localhost.example.org", "0.0.0.0", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace gantry::net
