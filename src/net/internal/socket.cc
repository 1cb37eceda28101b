#include "net/internal/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/strings.h"

namespace gantry::net::internal {
namespace {

Result<sockaddr_un> UnixAddress(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return Fail(InvalidArgument("Unix socket path is " + std::to_string(path.size()) +
                                " bytes; the limit is " +
                                std::to_string(sizeof(address.sun_path) - 1) + ": " + path));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

// "host:port" or "[v6]:port".
Result<std::pair<std::string, std::string>> SplitHostPort(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return Fail(InvalidArgument("expected HOST:PORT (e.g. 127.0.0.1:8080), got '" +
                                std::string(address) + "'"));
  }
  std::string_view host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string_view port = address.substr(colon + 1);
  std::optional<int64_t> number = ParseInt(port);
  if (!number || *number < 0 || *number > 65535 || port.front() == '+' || port.front() == '-') {
    return Fail(InvalidArgument("invalid port '" + std::string(port) + "' in '" +
                                std::string(address) + "'"));
  }
  return std::pair(std::string(host), std::string(port));
}

Result<addrinfo*> Resolve(const std::string& host, const std::string& port, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* result = nullptr;
  int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &result);
  if (rc != 0) {
    return Fail(Unavailable("cannot resolve '" + host + "': " + gai_strerror(rc)));
  }
  return result;
}

// Connects with a timeout: non-blocking connect, then poll for writability. Returns 0 or
// an errno value (ETIMEDOUT when the deadline passed).
int ConnectWithTimeout(int fd, const sockaddr* address, socklen_t length,
                       std::chrono::milliseconds timeout) {
  Deadline deadline = SteadyClock::now() + timeout;
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  while (connect(fd, address, length) < 0) {
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      // A Unix socket whose listen backlog is full: retry until the deadline, as TCP would.
      if (SteadyClock::now() >= deadline) return ETIMEDOUT;
      poll(nullptr, 0, 1);
      continue;
    }
    if (errno != EINPROGRESS) return errno;
    pollfd pfd{fd, POLLOUT, 0};
    int n;
    do {
      n = poll(&pfd, 1, PollTimeout(deadline));
    } while (n < 0 && errno == EINTR);
    if (n == 0) return ETIMEDOUT;
    int error = 0;
    socklen_t size = sizeof(error);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return error;
    break;
  }
  fcntl(fd, F_SETFL, flags);
  return 0;
}

Error ConnectError(int error, std::chrono::milliseconds timeout) {
  if (error == ETIMEDOUT) {
    return DeadlineExceeded("no answer within " + std::to_string(timeout.count()) + " ms");
  }
  return Unavailable(std::strerror(error));
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Fd::Reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int PollTimeout(Deadline deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(left.count());
}

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint endpoint;
  std::string_view rest = url;
  if (rest.starts_with("unix://")) rest.remove_prefix(7);
  if (rest.starts_with("/")) {
    endpoint.kind = Endpoint::Kind::kUnix;
    endpoint.path = std::string(rest);
    endpoint.url = "unix://" + endpoint.path;
    GANTRY_RETURN_IF_ERROR(UnixAddress(endpoint.path));
    return endpoint;
  }
  if (url.starts_with("http://") || url.starts_with("https://")) {
    endpoint.tls = url.starts_with("https://");
    std::string_view scheme = endpoint.tls ? "https://" : "http://";
    rest = url.substr(scheme.size());
    if (rest.ends_with("/")) rest.remove_suffix(1);
    if (rest.find('/') != std::string_view::npos) {
      return Fail(InvalidArgument("server URL '" + std::string(url) +
                                  "' must not have a path (use " + std::string(scheme) +
                                  "HOST:PORT)"));
    }
    GANTRY_ASSIGN_OR_RETURN(auto host_port, SplitHostPort(rest));
    endpoint.kind = Endpoint::Kind::kTcp;
    endpoint.host = host_port.first;
    endpoint.port = static_cast<uint16_t>(std::stoi(host_port.second));
    endpoint.url = std::string(scheme) + std::string(rest);
    return endpoint;
  }
  return Fail(InvalidArgument("unsupported server URL '" + std::string(url) +
                              "': use unix:///path/to/socket, /path/to/socket or "
                              "http(s)://HOST:PORT"));
}

Result<Fd> ListenUnix(const std::string& path, ino_t* inode) {
  GANTRY_ASSIGN_OR_RETURN(sockaddr_un address, UnixAddress(path));
  auto* raw = reinterpret_cast<const sockaddr*>(&address);
  Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Fail(ErrnoError("socket", errno));
  if (bind(fd.get(), raw, sizeof(address)) < 0) {
    if (errno != EADDRINUSE) return Fail(ErrnoError("cannot listen on " + path, errno));
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
      return Fail(FailedPrecondition("cannot listen on " + path +
                                     ": the path exists and is not a socket; remove it or "
                                     "choose another path"));
    }
    // Probe: if something accepts, a server is alive; ECONNREFUSED means a stale file.
    Fd probe(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connect(probe.get(), raw, sizeof(address)) == 0 || errno == EAGAIN) {
      return Fail(AlreadyExists("another server is already listening on " + path +
                                " (stop it first, or choose another socket path)"));
    }
    if (errno != ECONNREFUSED) return Fail(ErrnoError("cannot probe " + path, errno));
    if (unlink(path.c_str()) < 0 && errno != ENOENT) {
      return Fail(ErrnoError("cannot remove stale socket " + path, errno));
    }
    if (bind(fd.get(), raw, sizeof(address)) < 0) {
      return Fail(ErrnoError("cannot listen on " + path, errno));
    }
  }
  // 0666: any local user may connect; who they are is decided per request from SO_PEERCRED.
  if (chmod(path.c_str(), 0666) < 0 || listen(fd.get(), SOMAXCONN) < 0) {
    int error = errno;
    unlink(path.c_str());
    return Fail(ErrnoError("cannot listen on " + path, error));
  }
  struct stat st {};
  if (inode != nullptr) *inode = stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
  return fd;
}

Result<std::pair<Fd, uint16_t>> ListenTcp(std::string_view address) {
  GANTRY_ASSIGN_OR_RETURN(auto host_port, SplitHostPort(address));
  GANTRY_ASSIGN_OR_RETURN(addrinfo * info, Resolve(host_port.first, host_port.second, AI_PASSIVE));
  Fd fd(socket(info->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    freeaddrinfo(info);
    return Fail(ErrnoError("socket", errno));
  }
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  int rc = bind(fd.get(), info->ai_addr, info->ai_addrlen);
  int error = errno;
  freeaddrinfo(info);
  if (rc < 0 || listen(fd.get(), SOMAXCONN) < 0) {
    if (rc == 0) error = errno;
    return Fail(ErrnoError("cannot listen on " + std::string(address), error));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  uint16_t port = bound.ss_family == AF_INET6
                      ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return std::pair(std::move(fd), port);
}

Result<Fd> Connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  if (endpoint.kind == Endpoint::Kind::kUnix) {
    GANTRY_ASSIGN_OR_RETURN(sockaddr_un address, UnixAddress(endpoint.path));
    Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return Fail(ErrnoError("socket", errno));
    int error = ConnectWithTimeout(fd.get(), reinterpret_cast<const sockaddr*>(&address),
                                   sizeof(address), timeout);
    if (error != 0) return Fail(ConnectError(error, timeout));
    return fd;
  }
  GANTRY_ASSIGN_OR_RETURN(addrinfo * info,
                          Resolve(endpoint.host, std::to_string(endpoint.port), 0));
  int error = EADDRNOTAVAIL;
  for (addrinfo* a = info; a != nullptr; a = a->ai_next) {
    Fd fd(socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) continue;
    error = ConnectWithTimeout(fd.get(), a->ai_addr, a->ai_addrlen, timeout);
    if (error == 0) {
      freeaddrinfo(info);
      SetNoDelay(fd.get());
      return fd;
    }
  }
  freeaddrinfo(info);
  return Fail(ConnectError(error, timeout));
}

Status SendAll(int fd, std::string_view head, std::string_view body, Deadline deadline) {
  while (!head.empty() || !body.empty()) {
    iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                      {const_cast<char*>(body.data()), body.size()}};
    msghdr message{};
    message.msg_iov = head.empty() ? &parts[1] : parts;
    message.msg_iovlen = head.empty() ? 1 : 2;
    ssize_t n = sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return Fail(ErrnoError("send", errno));
      pollfd pfd{fd, POLLOUT, 0};
      int ready = poll(&pfd, 1, PollTimeout(deadline));
      if (ready == 0) return Fail(DeadlineExceeded("send timed out"));
      continue;
    }
    auto sent = static_cast<size_t>(n);
    size_t from_head = std::min(sent, head.size());
    head.remove_prefix(from_head);
    body.remove_prefix(sent - from_head);
  }
  return {};
}

Result<bool> WaitReadable(int fd, std::optional<Deadline> deadline, int wake_fd, bool* woken) {
  pollfd pfds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  while (true) {
    int timeout = deadline ? PollTimeout(*deadline) : -1;
    int n = poll(pfds, wake_fd >= 0 ? 2 : 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(ErrnoError("poll", errno));
    if (n == 0) return false;
    if (woken != nullptr) *woken = wake_fd >= 0 && pfds[1].revents != 0;
    return true;
  }
}

}  // namespace gantry::net::internal
