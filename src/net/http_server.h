// HttpServer: serves HTTP/1.1 on a Unix socket and/or a TCP address, one thread per
// connection (keep-alive connections keep theirs; requests never create threads). Handlers
// run on the connection's thread, concurrently with each other and with no lock held, so
// one may block (long-poll) without stalling other connections. Thread-safe.
// Conventions (framing, limits, keep-alive, timeouts) are in docs/http.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/error.h"
#include "net/http_parser.h"
#include "net/http_types.h"
#include "net/tls.h"

namespace gantry::net {

struct HttpServerOptions {
  // Listen here (mode 0666) if not empty. A stale socket file is replaced; a live server
  // on it makes Start fail with AlreadyExists.
  std::string unix_socket_path;
  // Listen on "HOST:PORT" if not empty; "127.0.0.1:0" picks a free port (see tcp_port()).
  std::string tcp_address;
  // Serve TLS on the TCP listener (every TCP connection; the Unix socket stays plain).
  std::shared_ptr<const TlsContext> tls;
  ParseLimits limits;  // 64 KiB head, 64 MiB body by default
  // Connections beyond this get "503 Service Unavailable" and are closed.
  size_t max_connections = 4096;
  // A connection with no request in progress for this long is closed (the client
  // reconnects transparently). A request must arrive completely within this time too.
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
  // Giving up on a peer that does not read its response.
  std::chrono::milliseconds send_timeout = std::chrono::seconds(60);
};

class HttpServer {
 public:
  // Binds the listeners and starts serving. Fails (leaving nothing behind) if no listener
  // was asked for or one cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                   ServerHandler handler);

  // Stops (see Stop).
  virtual ~HttpServer() = default;

  // Closes the listeners, closes idle connections, lets running handlers finish (a
  // long-polling handler must be woken by its owner first), joins every thread and removes
  // the socket file. Idempotent.
  virtual void Stop() = 0;

  // "unix:///path" or "" if not listening on a Unix socket.
  virtual std::string unix_url() const = 0;
  // "http://127.0.0.1:PORT" (https:// with TLS) or "" if not listening on TCP.
  virtual std::string tcp_url() const = 0;
  // The bound TCP port, 0 if none.
  virtual uint16_t tcp_port() const = 0;
  // Connections open right now (for metrics and tests).
  virtual size_t open_connections() const = 0;
};

}  // namespace gantry::net
