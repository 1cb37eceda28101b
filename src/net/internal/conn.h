// Conn: one connected stream, plain or TLS, with the few operations the HTTP server and
// client need (send all, receive what is there, wait for input). A plain Conn is the socket
// itself; a TLS Conn runs OpenSSL over the socket made non-blocking, with its own BIO so a
// write to a closed peer never raises SIGPIPE. Thread-compatible. Internal to net.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "net/internal/socket.h"
#include "net/tls.h"

namespace gantry::net::internal {

class Conn {
 public:
  Conn() = default;
  explicit Conn(Fd fd) : fd_(std::move(fd)) {}
  Conn(Conn&& other) noexcept;
  Conn& operator=(Conn&& other) noexcept;
  ~Conn();

  // Turns this plain accepted (server) or connected (client) socket into TLS, the handshake
  // done by the deadline. The client checks the server's certificate against `host` (name
  // or IP). On failure the socket stays open (the caller decides when to close it).
  Status AcceptTls(const TlsContext& context, Deadline deadline);
  Status ConnectTls(const TlsContext& context, const std::string& host, Deadline deadline);

  int fd() const { return fd_.get(); }
  bool valid() const { return fd_.valid(); }
  bool tls() const { return ssl_ != nullptr; }
  void Reset();

  // Sends head then body completely by the deadline. Never raises SIGPIPE.
  Status SendAll(std::string_view head, std::string_view body, Deadline deadline);
  // Reads what is available into buffer: > 0 bytes, 0 at end of stream, -1 with errno
  // (EAGAIN: nothing yet, e.g. only part of a TLS record arrived). Blocks only for a plain
  // connection without `dont_wait`.
  ssize_t Receive(char* buffer, size_t size, bool dont_wait = false);
  // As internal::WaitReadable, but true at once while TLS holds decrypted bytes unread.
  Result<bool> WaitReadable(std::optional<Deadline> deadline, int wake_fd = -1,
                            bool* woken = nullptr) const;
  // Whether the peer is gone or sent something unasked, without blocking (between requests).
  bool IdleIsDead() const;

 private:
  Fd fd_;
  void* ssl_ = nullptr;  // SSL*, owned
};

// The OpenSSL error queue of this thread in words ("" if empty), emptying it.
std::string TakeTlsErrors();

}  // namespace gantry::net::internal
