// Thin POSIX socket helpers for the server and the client: an owning file descriptor,
// listeners, connect with a timeout, and send/receive against a deadline. Errors are values
// with the path or address in the message. Thread-safe (no shared state); an Fd is
// thread-compatible. Internal to net: other modules must not include this.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.h"

namespace gantry::net::internal {

using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;

// Owns one file descriptor; closes it on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset();

 private:
  int fd_ = -1;
};

// Where a client connects: a Unix socket path or a TCP host and port.
struct Endpoint {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string path;   // kUnix
  std::string host;   // kTcp
  uint16_t port = 0;  // kTcp
  bool tls = false;   // kTcp: https://
  std::string url;    // canonical, for messages: "unix:///run/g.sock", "http://127.0.0.1:80"
};

// "unix:///abs/path", "/abs/path", "http://host:port" or "https://host:port" (an optional
// trailing "/").
Result<Endpoint> ParseEndpoint(std::string_view url);

// A listening Unix socket at `path`, mode 0666. A stale socket file (nobody accepting on it)
// is replaced; AlreadyExists if a server is listening there; FailedPrecondition if the path
// exists and is not a socket. `inode` receives the socket file's inode, so the owner removes
// only its own file later.
Result<Fd> ListenUnix(const std::string& path, ino_t* inode);

// A listening TCP socket on "host:port" (port 0: the kernel picks). Returns the bound port.
Result<std::pair<Fd, uint16_t>> ListenTcp(std::string_view address);

// A connected stream socket, within `timeout`.
Result<Fd> Connect(const Endpoint& endpoint, std::chrono::milliseconds timeout);

// Sends head then body completely, waiting for buffer space until the deadline.
// Never raises SIGPIPE.
Status SendAll(int fd, std::string_view head, std::string_view body, Deadline deadline);

// Waits until fd is readable (or hung up). False on timeout. Also returns (true) when the
// optional `wake_fd` becomes readable; *woken tells which.
Result<bool> WaitReadable(int fd, std::optional<Deadline> deadline, int wake_fd = -1,
                          bool* woken = nullptr);

// Disables Nagle's algorithm: requests and responses are small and latency matters.
void SetNoDelay(int fd);

// Milliseconds left until the deadline for poll(2): >= 0, rounded up.
int PollTimeout(Deadline deadline);

}  // namespace gantry::net::internal
