#include "net/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "base/log.h"
#include "net/http_writer.h"
#include "net/internal/conn.h"
#include "net/internal/socket.h"

namespace gantry::net {
namespace {

using internal::Conn;
using internal::Deadline;
using internal::Fd;
using internal::SteadyClock;

constexpr size_t kReadChunk = 64 * 1024;
// After an error response, keep reading (and dropping) what the client still sends for up
// to this long before closing, so that closing with unread data (which makes the kernel
// send RST) does not destroy the response before the client reads it.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 16 * 1024 * 1024;
// A TCP client must finish the TLS handshake within this time.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// Stop() lets running handlers finish for this long before cutting their connections.
constexpr auto kStopGrace = std::chrono::seconds(1);

std::string TcpPeerAddress(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) return "unknown";
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(v6->sin6_port));
  }
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
  return std::string(text) + ":" + std::to_string(ntohs(v4->sin_port));
}

// Lock order: stop_mu_ before mu_.
class ServerImpl final : public HttpServer {
 public:
  ServerImpl(HttpServerOptions options, ServerHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  ~ServerImpl() override { Stop(); }

  Status Listen();
  void StartAccepting() {
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  void Stop() override;
  std::string unix_url() const override {
    return options_.unix_socket_path.empty() ? "" : "unix://" + options_.unix_socket_path;
  }
  std::string tcp_url() const override {
    if (tcp_port_ == 0) return "";
    std::string host = options_.tcp_address.substr(0, options_.tcp_address.rfind(':'));
    return (options_.tls ? "https://" : "http://") + host + ":" + std::to_string(tcp_port_);
  }
  uint16_t tcp_port() const override { return tcp_port_; }
  size_t open_connections() const override {
    std::lock_guard lock(mu_);
    return connections_.size();
  }

 private:
  struct Listener {
    Fd fd;
    Peer::Kind kind;
  };
  struct Connection {
    int fd;
    std::thread thread;
  };

  void AcceptLoop();
  void AcceptFrom(const Listener& listener);
  Peer PeerOf(int fd, Peer::Kind kind) const;
  void Serve(uint64_t id, int fd, Peer peer);
  void ServeRequests(Conn& conn, const Peer& peer);
  HttpResponse CallHandler(HttpRequest& request);
  void SendErrorAndLinger(Conn& conn, const ParseError& error);
  void ReapFinished();

  const HttpServerOptions options_;
  const ServerHandler handler_;
  std::vector<Listener> listeners_;
  uint16_t tcp_port_ = 0;
  ino_t unix_inode_ = 0;
  Fd wake_read_;  // becomes readable (forever) when Stop() begins
  Fd wake_write_;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;

  std::mutex stop_mu_;
  bool stopped_ = false;  // GUARDED_BY(stop_mu_)

  mutable std::mutex mu_;
  std::condition_variable connection_closed_;
  uint64_t next_id_ = 0;                        // GUARDED_BY(mu_)
  std::map<uint64_t, Connection> connections_;  // GUARDED_BY(mu_)
  std::vector<std::thread> finished_;           // GUARDED_BY(mu_): exited, to be joined
};

Status ServerImpl::Listen() {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) < 0) return Fail(ErrnoError("pipe", errno));
  wake_read_ = Fd(pipe_fds[0]);
  wake_write_ = Fd(pipe_fds[1]);
  if (!options_.unix_socket_path.empty()) {
    GANTRY_ASSIGN_OR_RETURN(Fd fd, internal::ListenUnix(options_.unix_socket_path, &unix_inode_));
    listeners_.push_back({std::move(fd), Peer::Kind::kUnix});
  }
  if (!options_.tcp_address.empty()) {
    GANTRY_ASSIGN_OR_RETURN(auto bound, internal::ListenTcp(options_.tcp_address));
    tcp_port_ = bound.second;
    listeners_.push_back({std::move(bound.first), Peer::Kind::kTcp});
  }
  for (Listener& listener : listeners_) {
    fcntl(listener.fd.get(), F_SETFL, fcntl(listener.fd.get(), F_GETFL) | O_NONBLOCK);
  }
  return {};
}

void ServerImpl::AcceptLoop() {
  std::vector<pollfd> pfds;
  for (const Listener& listener : listeners_) pfds.push_back({listener.fd.get(), POLLIN, 0});
  pfds.push_back({wake_read_.get(), POLLIN, 0});
  while (!stopping_) {
    int n = poll(pfds.data(), pfds.size(), -1);
    if (n < 0) {
      if (errno != EINTR) LogError(ErrnoError("http server: poll", errno).message());
      continue;
    }
    if (pfds.back().revents != 0) break;
    for (size_t i = 0; i < listeners_.size(); ++i) {
      if (pfds[i].revents != 0) AcceptFrom(listeners_[i]);
    }
    ReapFinished();
  }
}

void ServerImpl::AcceptFrom(const Listener& listener) {
  while (!stopping_) {
    int fd = accept4(listener.fd.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // Out of descriptors or memory: back off instead of spinning; clients wait in the
      // backlog.
      LogWarning(ErrnoError("http server: accept", errno).message());
      poll(nullptr, 0, 50);
      return;
    }
    Peer peer = PeerOf(fd, listener.kind);
    std::lock_guard lock(mu_);
    // A TLS client would not understand a plain 503: it is just closed.
    if (connections_.size() >= options_.max_connections && listener.kind == Peer::Kind::kTcp &&
        options_.tls) {
      close(fd);
      continue;
    }
    if (connections_.size() >= options_.max_connections) {
      HttpResponse busy = ErrorResponse(
          503, "server busy: " + std::to_string(connections_.size()) + " connections open");
      (void)internal::SendAll(fd, SerializeResponseHead(busy, ConnectionMode::kClose), busy.body,
                              SteadyClock::now() + std::chrono::milliseconds(100));
      close(fd);
      continue;
    }
    uint64_t id = next_id_++;
    Connection& connection = connections_[id];
    connection.fd = fd;
    // Assigned under mu_, so the thread's exit path (which takes mu_) sees it.
    connection.thread = std::thread(
        [this, id, fd, peer = std::move(peer)]() mutable { Serve(id, fd, std::move(peer)); });
  }
}

Peer ServerImpl::PeerOf(int fd, Peer::Kind kind) const {
  Peer peer;
  peer.kind = kind;
  if (kind == Peer::Kind::kUnix) {
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0) {
      peer.uid = credentials.uid;
      peer.gid = credentials.gid;
      peer.pid = credentials.pid;
    }
    peer.address = options_.unix_socket_path;
  } else {
    internal::SetNoDelay(fd);
    peer.address = TcpPeerAddress(fd);
  }
  return peer;
}

void ServerImpl::Serve(uint64_t id, int fd, Peer peer) {
  Conn conn{Fd(fd)};
  if (peer.kind == Peer::Kind::kTcp && options_.tls) {
    Status tls = conn.AcceptTls(*options_.tls, SteadyClock::now() + kHandshakeTimeout);
    if (tls) {
      peer.tls = true;
      ServeRequests(conn, peer);
    } else {
      LogInfo("http server: " + peer.address + ": " + tls.error().message());
    }
  } else {
    ServeRequests(conn, peer);
  }
  // The descriptor is closed under mu_, so Stop() never shuts down a reused number.
  std::lock_guard lock(mu_);
  conn.Reset();
  auto it = connections_.find(id);
  finished_.push_back(std::move(it->second.thread));
  connections_.erase(it);
  connection_closed_.notify_all();
}

void ServerImpl::ServeRequests(Conn& conn, const Peer& peer) {
  RequestParser parser(options_.limits);
  std::string buffer(kReadChunk, '\0');
  while (true) {
    auto next = parser.Next();
    if (!next) {
      SendErrorAndLinger(conn, next.error());
      return;
    }
    if (*next) {
      HttpRequest& request = (*next)->request;
      request.peer = peer;
      HttpResponse response = CallHandler(request);
      bool keep_alive = (*next)->keep_alive && !stopping_;
      std::string head = SerializeResponseHead(
          response, keep_alive ? ConnectionMode::kKeepAlive : ConnectionMode::kClose);
      bool send_body = request.method != "HEAD" && StatusHasBody(response.status);
      Status sent = conn.SendAll(head, send_body ? response.body : "",
                                 SteadyClock::now() + options_.send_timeout);
      if (!sent || !keep_alive) return;
      continue;
    }
    if (parser.TakeContinueRequest()) {
      if (!conn.SendAll("HTTP/1.1 100 Continue\r\n\r\n", "",
                        SteadyClock::now() + options_.send_timeout)) {
        return;
      }
    }
    bool woken = false;
    auto readable = conn.WaitReadable(SteadyClock::now() + options_.idle_timeout,
                                      wake_read_.get(), &woken);
    if (!readable || !*readable || woken) return;
    ssize_t n = conn.Receive(buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return;
    parser.Feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
}

HttpResponse ServerImpl::CallHandler(HttpRequest& request) {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    LogError("http handler for " + request.method + " " + request.path + " threw: " + e.what());
    return ErrorResponse(500, std::string("internal error: ") + e.what());
  } catch (...) {
    LogError("http handler for " + request.method + " " + request.path + " threw");
    return ErrorResponse(500, "internal error");
  }
}

void ServerImpl::SendErrorAndLinger(Conn& conn, const ParseError& error) {
  HttpResponse response = ErrorResponse(error.status, error.message);
  Deadline deadline = SteadyClock::now() + kLingerTime;
  if (!conn.SendAll(SerializeResponseHead(response, ConnectionMode::kClose), response.body,
                    deadline)) {
    return;
  }
  if (!conn.tls()) shutdown(conn.fd(), SHUT_WR);
  char sink[16 * 1024];
  size_t drained = 0;
  while (drained < kLingerBytes) {
    auto readable = conn.WaitReadable(deadline, wake_read_.get());
    if (!readable || !*readable) return;
    ssize_t n = conn.Receive(sink, sizeof(sink));
    if (n < 0 && errno == EAGAIN) continue;
    if (n <= 0) return;
    drained += static_cast<size_t>(n);
  }
}

void ServerImpl::ReapFinished() {
  std::vector<std::thread> done;
  {
    std::lock_guard lock(mu_);
    done.swap(finished_);
  }
  for (std::thread& thread : done) thread.join();
}

void ServerImpl::Stop() {
  std::lock_guard stop_lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  if (wake_write_.valid()) {
    char byte = 'x';
    ssize_t ignored = write(wake_write_.get(), &byte, 1);
    (void)ignored;
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  listeners_.clear();
  if (!options_.unix_socket_path.empty() && unix_inode_ != 0) {
    // Remove the socket file only if it is still ours (not replaced by a newer server).
    struct stat st {};
    if (stat(options_.unix_socket_path.c_str(), &st) == 0 && st.st_ino == unix_inode_) {
      unlink(options_.unix_socket_path.c_str());
    }
  }
  {
    std::unique_lock lock(mu_);
    if (!connection_closed_.wait_for(lock, kStopGrace, [this] { return connections_.empty(); })) {
      // Peers that do not read, or handlers still running: cut the sockets so blocked sends
      // fail. A handler blocked on its own (long-poll) is waited for.
      for (auto& [id, connection] : connections_) shutdown(connection.fd, SHUT_RDWR);
      connection_closed_.wait(lock, [this] { return connections_.empty(); });
    }
  }
  ReapFinished();
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                      ServerHandler handler) {
  if (options.unix_socket_path.empty() && options.tcp_address.empty()) {
    return Fail(InvalidArgument("HTTP server needs a Unix socket path or a TCP address"));
  }
  if (handler == nullptr) return Fail(InvalidArgument("HTTP server needs a handler"));
  auto server = std::make_unique<ServerImpl>(std::move(options), std::move(handler));
  GANTRY_RETURN_IF_ERROR(server->Listen());
  server->StartAccepting();
  return server;
}

}  // namespace gantry::net
