#include "net/http_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "base/strings.h"
#include "net/http_writer.h"
#include "net/internal/conn.h"
#include "net/internal/socket.h"
#include "net/tls.h"

namespace gantry::net {
namespace {

using internal::Conn;
using internal::Deadline;
using internal::Endpoint;
using internal::Fd;
using internal::SteadyClock;

constexpr size_t kReadChunk = 64 * 1024;

std::string Seconds(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + " s";
  return std::to_string(duration.count()) + " ms";
}

class ClientImpl final : public HttpClient {
 public:
  ClientImpl(Endpoint endpoint, HttpClientOptions options,
             std::shared_ptr<const TlsContext> tls)
      : endpoint_(std::move(endpoint)),
        options_(std::move(options)),
        tls_(std::move(tls)),
        host_(endpoint_.kind == Endpoint::Kind::kUnix
                  ? "localhost"
                  : endpoint_.url.substr(endpoint_.url.find("://") + 3)),
        buffer_(kReadChunk, '\0') {}

  Result<HttpResponse> Request(std::string_view method, std::string_view path_and_query,
                               std::string_view body, const Headers& extra) override;
  const std::string& url() const override { return endpoint_.url; }

 private:
  // Why one attempt failed, and whether the request may be sent again on a new connection.
  struct Failure {
    Error error;
    bool retry;
  };

  // Connects unless the current connection is usable. Returns whether it is a reused one.
  Result<bool> EnsureConnected(Deadline deadline);
  std::expected<HttpResponse, Failure> Attempt(std::string_view method, std::string_view head,
                                               std::string_view body, Deadline deadline);
  bool IdleConnectionIsDead() const;
  // A complete response already waiting in the socket, without blocking.
  std::optional<HttpResponse> ReadEarlyResponse(std::string_view method);
  std::string Describe(std::string_view method, std::string_view path) const {
    return std::string(method) + " " + std::string(path) + " to the Gantry server at " +
           endpoint_.url;
  }

  const Endpoint endpoint_;
  const HttpClientOptions options_;
  const std::shared_ptr<const TlsContext> tls_;  // https:// only
  const std::string host_;
  Conn conn_;
  std::string buffer_;
};

bool ClientImpl::IdleConnectionIsDead() const {
  // Between requests nothing should arrive: readable means EOF (the server closed the idle
  // connection) or garbage; either way the connection is not usable.
  return conn_.IdleIsDead();
}

std::optional<HttpResponse> ClientImpl::ReadEarlyResponse(std::string_view method) {
  ResponseParser parser(options_.limits);
  parser.ExpectResponseTo(method);
  while (true) {
    ssize_t n = conn_.Receive(buffer_.data(), buffer_.size(), /*dont_wait=*/true);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) {
      parser.Feed(std::string_view(buffer_.data(), static_cast<size_t>(n)));
      continue;
    }
    auto next = n == 0 ? parser.Finish() : parser.Next();
    if (next && *next) return std::move((*next)->response);
    return std::nullopt;
  }
}

Result<bool> ClientImpl::EnsureConnected(Deadline deadline) {
  if (conn_.valid() && !IdleConnectionIsDead()) return true;
  conn_.Reset();
  auto timeout = std::min(
      options_.connect_timeout,
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()));
  auto fd = internal::Connect(endpoint_, std::max(timeout, std::chrono::milliseconds(1)));
  if (!fd) {
    return Fail(Error(fd.error().code(), "cannot connect to the Gantry server at " + endpoint_.url +
                                             ": " + fd.error().message() +
                                             " (is `gantry up` running?)"));
  }
  conn_ = Conn(*std::move(fd));
  if (tls_ != nullptr) {
    Status handshake = conn_.ConnectTls(*tls_, endpoint_.host, deadline);
    if (!handshake) {
      conn_.Reset();
      return Fail(handshake.error().Wrap("cannot connect to the Gantry server at " +
                                         endpoint_.url));
    }
  }
  return false;
}

Result<HttpResponse> ClientImpl::Request(std::string_view method, std::string_view path_and_query,
                                         std::string_view body, const Headers& extra) {
  if (!path_and_query.starts_with("/")) {
    return Fail(
        InvalidArgument("request path must start with '/': " + std::string(path_and_query)));
  }
  if (endpoint_.kind == Endpoint::Kind::kTcp && !endpoint_.tls &&
      !IsLoopbackHost(endpoint_.host)) {
    for (const auto& [name, value] : extra) {
      if (EqualsIgnoreCase(name, "authorization")) {
        return Fail(PermissionDenied("refusing to send a token over plain TCP to " +
                                     endpoint_.url + ": anyone on the network could read it; "
                                     "use https:// (the server's --tls-cert and --tls-key)"));
      }
    }
  }
  Deadline deadline = SteadyClock::now() + options_.request_timeout;
  std::string head = SerializeRequestHead(method, path_and_query, host_, body.size(), extra);
  for (int attempt = 0;; ++attempt) {
    GANTRY_ASSIGN_OR_RETURN(bool reused, EnsureConnected(deadline));
    auto response = Attempt(method, head, body, deadline);
    if (response) return *std::move(response);
    conn_.Reset();
    // Retry only when the server closed a reused connection before answering: then it never
    // saw the request (the race every keep-alive client has), so sending again is safe.
    if (!(response.error().retry && reused && attempt == 0)) {
      return Fail(response.error().error.Wrap(Describe(method, path_and_query)));
    }
  }
}

std::expected<HttpResponse, ClientImpl::Failure> ClientImpl::Attempt(std::string_view method,
                                                                     std::string_view head,
                                                                     std::string_view body,
                                                                     Deadline deadline) {
  auto fail = [](Error error, bool retry) { return std::unexpected(Failure{error, retry}); };
  Status sent = conn_.SendAll(head, body, deadline);
  if (!sent) {
    if (sent.error().code() == ErrorCode::kDeadlineExceeded) {
      return fail(DeadlineExceeded("timed out after " + Seconds(options_.request_timeout) +
                                   " sending the request"),
                  false);
    }
    // The server may have answered early and closed (e.g. 413 for a body over its limit):
    // prefer that answer to the send error.
    if (std::optional<HttpResponse> early = ReadEarlyResponse(method)) {
      conn_.Reset();
      return *std::move(early);
    }
    return fail(Unavailable("connection lost while sending: " + sent.error().message()), true);
  }
  ResponseParser parser(options_.limits);
  parser.ExpectResponseTo(method);
  bool received_any = false;
  while (true) {
    auto next = parser.Next();
    if (!next) {
      return fail(Unavailable("malformed response: " + next.error().message), false);
    }
    if (*next) {
      if (!(*next)->keep_alive) conn_.Reset();
      return std::move((*next)->response);
    }
    auto readable = conn_.WaitReadable(deadline);
    if (!readable || !*readable) {
      return fail(DeadlineExceeded("no response within " + Seconds(options_.request_timeout) +
                                   " (raise the client's request timeout if this is expected)"),
                  false);
    }
    ssize_t n = conn_.Receive(buffer_.data(), buffer_.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0 && errno != ECONNRESET) {
      return fail(ErrnoError("connection lost while reading the response", errno), false);
    }
    if (n <= 0) {
      auto last = parser.Finish();
      if (last && *last) {
        conn_.Reset();
        return std::move((*last)->response);
      }
      return fail(Unavailable("the server closed the connection before answering"), !received_any);
    }
    received_any = true;
    parser.Feed(std::string_view(buffer_.data(), static_cast<size_t>(n)));
  }
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view url,
                                                       HttpClientOptions options) {
  GANTRY_ASSIGN_OR_RETURN(Endpoint endpoint, internal::ParseEndpoint(url));
  std::shared_ptr<const TlsContext> tls;
  if (endpoint.tls) {
    GANTRY_ASSIGN_OR_RETURN(tls, TlsContext::ForClient(options.ca_file));
  }
  return std::make_unique<ClientImpl>(std::move(endpoint), std::move(options), std::move(tls));
}

}  // namespace gantry::net
