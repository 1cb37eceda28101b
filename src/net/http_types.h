// The values that cross the HTTP seam: Peer, HttpRequest, HttpResponse, handlers.
// Plain value types: thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gantry::net {

// Extra request headers (client) or response headers (server), in order, sent as given.
using Headers = std::vector<std::pair<std::string, std::string>>;

// Who is on the other end of a server connection.
struct Peer {
  enum class Kind { kUnix, kTcp };
  // uid/gid for peers without credentials (TCP). Deliberately not 0: never mistake an
  // unauthenticated TCP peer for root.
  static constexpr uint32_t kUnknownId = 0xffffffffu;

  Kind kind = Kind::kTcp;
  uint32_t uid = kUnknownId;  // SO_PEERCRED, Unix connections only
  uint32_t gid = kUnknownId;  // SO_PEERCRED, Unix connections only
  int32_t pid = -1;           // SO_PEERCRED, Unix connections only
  // Unix: the listening socket path; TCP: the remote "ip:port".
  std::string address;
  bool tls = false;  // TCP: the connection is TLS (the server's certificate was presented)
};

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET" (methods are case-sensitive)
  std::string path;    // request target before '?', still percent-encoded, e.g. "/v1/jobs/42"
  std::map<std::string, std::string> query;    // url-decoded; a repeated key keeps the last value
  std::map<std::string, std::string> headers;  // lower-case keys; repeats joined with ", "
  std::string body;                            // de-chunked
  Peer peer;
  // Captured "{name}" path segments, url-decoded; filled by Router::Dispatch.
  std::map<std::string, std::string> params;

  // Header value or "" if absent; name must be lower-case.
  std::string_view Header(std::string_view lower_name) const;
  // Query value or fallback if absent.
  std::string_view Query(std::string_view key, std::string_view fallback = {}) const;
  // Path param or "" if absent.
  std::string_view Param(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";  // empty: no Content-Type header
  std::string body;
  // Server: extra headers to send. Client: every received header, lower-case names.
  Headers headers;

  // First header with this name (case-insensitive), or "" if absent.
  std::string_view Header(std::string_view name) const;
};

// What route handlers implement. May block (long-poll); must not throw across the
// module boundary (the server turns an escaped exception into a 500, but do not rely on it).
using Handler = std::function<HttpResponse(const HttpRequest&)>;

// What HttpServer calls. The request is owned by the connection and may be annotated on the
// way in (Router fills `params`; middleware may add more). Any Handler converts to this.
using ServerHandler = std::function<HttpResponse(HttpRequest&)>;

// "OK", "Not Found", ...; "Unknown" for codes without a standard phrase.
std::string_view StatusReason(int status);

// A response with a JSON body {"error": "<message>"} (message JSON-escaped). The one place
// net writes JSON: its own 4xx/5xx answers must look like the API's.
HttpResponse ErrorResponse(int status, std::string_view message);

}  // namespace gantry::net
