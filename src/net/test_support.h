// Test-only helpers for net tests: a temp dir, a raw Unix-socket peer, and polling for a
// condition. Not part of gantry::net; included only by *_test.cc. Thread-compatible.
#pragma once

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "base/temp_dir.h"
#include "net/http_parser.h"

namespace gantry::net::testing {

using gantry::TempDir;

// A bare connected Unix socket, to send bytes no well-behaved client would.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawConnection() { close(fd_); }
  bool connected() const { return connected_; }

  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // The next response (parsed), or one with status 0 if the connection ended first.
  HttpResponse ReadResponse() {
    while (true) {
      auto next = parser_.Next();
      if (next && *next) return (*next)->response;
      if (!next) return HttpResponse{.status = 0};
      char buffer[4096];
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        auto last = parser_.Finish();
        if (last && *last) return (*last)->response;
        return HttpResponse{.status = 0};
      }
      parser_.Feed(std::string_view(buffer, static_cast<size_t>(n)));
    }
  }

  // True once the server has closed the connection (reads until EOF).
  bool ReadsEof() {
    char buffer[4096];
    while (true) {
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  ResponseParser parser_;
};

// Polls `condition` every millisecond for up to 10 s (waiting for an effect that has no
// event to wait on, e.g. the server noticing a closed connection).
inline bool Eventually(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

}  // namespace gantry::net::testing
