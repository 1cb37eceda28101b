// HttpClient: one keep-alive HTTP/1.1 connection to the Gantry server over a Unix socket or
// TCP. Connects lazily, reuses the connection, and reconnects once, transparently, when the
// server has closed an idle one. Thread-compatible: use one client per thread. It is an
// interface so callers can be tested against a fake.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "net/http_parser.h"
#include "net/http_types.h"

namespace gantry::net {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(60);
  // Whole request: send, wait for the server, read the response. Long-polls need more than
  // the server-side wait.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(60);
  ParseLimits limits{.max_header_bytes = 64 * 1024, .max_body_bytes = 1024 * 1024 * 1024};
  // https:// servers must present a certificate that chains to a CA in this PEM file
  // (empty: the system's CA store).
  std::string ca_file;
};

class HttpClient {
 public:
  // url: "unix:///path/to/socket", "/path/to/socket", "http://127.0.0.1:PORT" or
  // "https://HOST:PORT" (TLS, verified against options.ca_file). Does not connect yet;
  // InvalidArgument for a URL it cannot use or a CA file it cannot load.
  static Result<std::unique_ptr<HttpClient>> Create(std::string_view url,
                                                    HttpClientOptions options = {});

  virtual ~HttpClient() = default;

  // Sends one request and returns the response, whatever its status. A non-empty body is
  // sent as application/json unless `extra` names a Content-Type. Errors: Unavailable
  // (cannot connect, connection lost, malformed response, untrusted TLS certificate),
  // DeadlineExceeded (timeout), PermissionDenied for an Authorization header that would go
  // over plain TCP to a host that is not the loopback (it is never sent).
  // The message names the server URL and what to do.
  virtual Result<HttpResponse> Request(std::string_view method, std::string_view path_and_query,
                                       std::string_view body = {}, const Headers& extra = {}) = 0;

  // The canonical server URL, e.g. "unix:///home/a/.gantry/gantry.sock".
  virtual const std::string& url() const = 0;
};

}  // namespace gantry::net
