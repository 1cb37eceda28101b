#include "net/internal/conn.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <mutex>

namespace gantry::net::internal {
namespace {

SSL* Ssl(void* p) { return static_cast<SSL*>(p); }

// A socket BIO whose writes use MSG_NOSIGNAL: OpenSSL's own socket BIO uses write(2), which
// raises SIGPIPE in a process (the CLI) that does not ignore it.
int BioWrite(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  ssize_t n = send(static_cast<int>(BIO_get_fd(bio, nullptr)), data, static_cast<size_t>(size),
                   MSG_NOSIGNAL);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    BIO_set_retry_write(bio);
  }
  return static_cast<int>(n);
}

const BIO_METHOD* NoSignalSocketMethod() {
  static BIO_METHOD* method = [] {
    // Everything but write is the stock socket BIO's (read, ctrl for the fd, ...).
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
                                     BIO_TYPE_DESCRIPTOR, "gantry socket");
    const BIO_METHOD* base = BIO_s_socket();
    BIO_meth_set_write(m, BioWrite);
    BIO_meth_set_read(m, BIO_meth_get_read(base));
    BIO_meth_set_puts(m, BIO_meth_get_puts(base));
    BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(base));
    BIO_meth_set_create(m, BIO_meth_get_create(base));
    BIO_meth_set_destroy(m, BIO_meth_get_destroy(base));
    return m;
  }();
  return method;
}

// Runs one OpenSSL step (handshake, read or write) until it stops asking to wait, waiting on
// the socket for what it wants by the deadline. Returns the step's result (> 0 success) or
// the SSL_get_error code.
template <typename Step>
Result<int> Drive(SSL* ssl, int fd, Deadline deadline, std::string_view what, Step step) {
  while (true) {
    ERR_clear_error();
    int r = step();
    if (r > 0) return r;
    int error = SSL_get_error(ssl, r);
    short events = 0;
    if (error == SSL_ERROR_WANT_READ) events = POLLIN;
    if (error == SSL_ERROR_WANT_WRITE) events = POLLOUT;
    if (events == 0) {
      std::string detail = TakeTlsErrors();
      if (error == SSL_ERROR_SYSCALL && detail.empty()) {
        detail = errno != 0 ? ErrnoError("socket", errno).message() : "the peer closed the connection";
      }
      if (error == SSL_ERROR_ZERO_RETURN) detail = "the peer closed the connection";
      return Fail(Unavailable("TLS " + std::string(what) + " failed: " + detail));
    }
    pollfd pfd{fd, events, 0};
    int ready = poll(&pfd, 1, PollTimeout(deadline));
    if (ready == 0) return Fail(DeadlineExceeded("TLS " + std::string(what) + " timed out"));
    if (ready < 0 && errno != EINTR) return Fail(ErrnoError("poll", errno));
  }
}

Result<SSL*> NewSsl(int fd, const TlsContext& context) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(context.native()));
  if (ssl == nullptr) return Fail(Internal("cannot start TLS: " + TakeTlsErrors()));
  BIO* bio = BIO_new(NoSignalSocketMethod());
  if (bio == nullptr) {
    SSL_free(ssl);
    return Fail(Internal("cannot start TLS: " + TakeTlsErrors()));
  }
  BIO_set_fd(bio, fd, BIO_NOCLOSE);
  SSL_set_bio(ssl, bio, bio);
  return ssl;
}

}  // namespace

Conn::Conn(Conn&& other) noexcept
    : fd_(std::move(other.fd_)), ssl_(std::exchange(other.ssl_, nullptr)) {}

Conn& Conn::operator=(Conn&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = std::move(other.fd_);
    ssl_ = std::exchange(other.ssl_, nullptr);
  }
  return *this;
}

Conn::~Conn() { Reset(); }

void Conn::Reset() {
  if (ssl_ != nullptr) {
    SSL_shutdown(Ssl(ssl_));  // a best-effort close_notify; never waits
    SSL_free(Ssl(ssl_));
    ssl_ = nullptr;
  }
  fd_.Reset();
}

Status Conn::AcceptTls(const TlsContext& context, Deadline deadline) {
  GANTRY_ASSIGN_OR_RETURN(SSL * ssl, NewSsl(fd(), context));
  ssl_ = ssl;
  GANTRY_RETURN_IF_ERROR(
      Drive(ssl, fd(), deadline, "handshake", [ssl] { return SSL_accept(ssl); }));
  return {};
}

Status Conn::ConnectTls(const TlsContext& context, const std::string& host, Deadline deadline) {
  GANTRY_ASSIGN_OR_RETURN(SSL * ssl, NewSsl(fd(), context));
  ssl_ = ssl;
  std::string name = host;
  if (name.starts_with("[") && name.ends_with("]")) name = name.substr(1, name.size() - 2);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  // An IP address is checked against the certificate's IP entries, a name against its DNS
  // names (and sent as SNI).
  if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) != 1) {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    SSL_set_tlsext_host_name(ssl, name.c_str());
  }
  auto done = Drive(ssl, fd(), deadline, "handshake", [ssl] { return SSL_connect(ssl); });
  if (!done) {
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      return Fail(Unavailable("the server's TLS certificate is not trusted for " + name + ": " +
                              X509_verify_cert_error_string(verify) +
                              " (is the CA file the one that signed it?)"));
    }
    return Fail(done.error());
  }
  return {};
}

Status Conn::SendAll(std::string_view head, std::string_view body, Deadline deadline) {
  if (ssl_ == nullptr) return internal::SendAll(fd_.get(), head, body, deadline);
  SSL* ssl = Ssl(ssl_);
  for (std::string_view part : {head, body}) {
    while (!part.empty()) {
      int chunk = static_cast<int>(std::min<size_t>(part.size(), 1 << 20));
      GANTRY_ASSIGN_OR_RETURN(int n, Drive(ssl, fd_.get(), deadline, "send", [&] {
        return SSL_write(ssl, part.data(), chunk);
      }));
      part.remove_prefix(static_cast<size_t>(n));
    }
  }
  return {};
}

ssize_t Conn::Receive(char* buffer, size_t size, bool dont_wait) {
  if (ssl_ == nullptr) return recv(fd_.get(), buffer, size, dont_wait ? MSG_DONTWAIT : 0);
  SSL* ssl = Ssl(ssl_);
  ERR_clear_error();
  int n = SSL_read(ssl, buffer, static_cast<int>(std::min<size_t>(size, 1 << 30)));
  if (n > 0) return n;
  switch (SSL_get_error(ssl, n)) {
    case SSL_ERROR_ZERO_RETURN: return 0;
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: errno = EAGAIN; return -1;
    case SSL_ERROR_SYSCALL:
      if (errno == 0) return 0;  // EOF without close_notify
      return -1;
    default: errno = EPROTO; return -1;
  }
}

Result<bool> Conn::WaitReadable(std::optional<Deadline> deadline, int wake_fd,
                                bool* woken) const {
  if (ssl_ != nullptr && SSL_pending(Ssl(ssl_)) > 0) {
    if (woken != nullptr) *woken = false;
    return true;
  }
  return internal::WaitReadable(fd_.get(), deadline, wake_fd, woken);
}

bool Conn::IdleIsDead() const {
  pollfd pfd{fd_.get(), POLLIN, 0};
  return poll(&pfd, 1, 0) != 0;
}

}  // namespace gantry::net::internal
