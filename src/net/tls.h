// TLS for the TCP transport (OpenSSL): a server context made from a certificate chain and
// its key, and a client context that verifies the server against a CA file. Immutable once
// made: thread-safe, shared by every connection that uses it.
#pragma once

#include <memory>
#include <string>

#include "base/error.h"

namespace gantry::net {

class TlsContext {
 public:
  // The server side: `cert_file` holds the PEM certificate chain (leaf first), `key_file`
  // its private key. Fails, naming the file, if either cannot be read or they do not match.
  static Result<std::shared_ptr<const TlsContext>> ForServer(const std::string& cert_file,
                                                              const std::string& key_file);
  // The client side: servers must present a certificate that chains to a CA in `ca_file`
  // (PEM; empty: the system's default CA store) and names the host the client dialled (DNS
  // name or IP address in subjectAltName). TLS 1.2 at least.
  static Result<std::shared_ptr<const TlsContext>> ForClient(const std::string& ca_file);

  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The OpenSSL SSL_CTX*, for net's connections (internal/conn.h).
  void* native() const { return ctx_; }

 private:
  explicit TlsContext(void* ctx) : ctx_(ctx) {}
  void* ctx_;
};

// Whether a bearer token may be sent to `host` over plain (unencrypted) TCP: only to the
// loopback (127.0.0.0/8, ::1, localhost), where no one on the network can read it.
bool IsLoopbackHost(std::string_view host);

}  // namespace gantry::net
