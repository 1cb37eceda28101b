#include "net/tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/internal/conn.h"

namespace gantry::net {
namespace {

// The OpenSSL error queue in words, or a placeholder when OpenSSL said nothing.
std::string OpensslErrors() {
  std::string text = internal::TakeTlsErrors();
  return text.empty() ? "unknown TLS error" : text;
}

Result<SSL_CTX*> NewContext(const SSL_METHOD* method) {
  SSL_CTX* ctx = SSL_CTX_new(method);
  if (ctx == nullptr) return Fail(Internal("cannot create a TLS context: " + OpensslErrors()));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Peers that vanish mid-record are an error, not a quiet EOF (no truncation attacks), but
  // a peer closing without close_notify after a complete HTTP message is common: allow it.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return ctx;
}

}  // namespace

namespace internal {

std::string TakeTlsErrors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out;
}

}  // namespace internal

TlsContext::~TlsContext() { SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

Result<std::shared_ptr<const TlsContext>> TlsContext::ForServer(const std::string& cert_file,
                                                                 const std::string& key_file) {
  GANTRY_ASSIGN_OR_RETURN(SSL_CTX * ctx, NewContext(TLS_server_method()));
  std::shared_ptr<const TlsContext> context(new TlsContext(ctx));
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return Fail(InvalidArgument("cannot use TLS certificate " + cert_file + ": " +
                                OpensslErrors()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Fail(InvalidArgument("cannot use TLS key " + key_file + ": " + OpensslErrors()));
  }
  // No session tickets: clients do not resume, and a ticket arriving after the handshake
  // would look like unasked-for input on an idle keep-alive connection.
  SSL_CTX_set_num_tickets(ctx, 0);
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Fail(InvalidArgument("TLS key " + key_file + " does not match certificate " +
                                cert_file + ": " + OpensslErrors()));
  }
  return context;
}

Result<std::shared_ptr<const TlsContext>> TlsContext::ForClient(const std::string& ca_file) {
  GANTRY_ASSIGN_OR_RETURN(SSL_CTX * ctx, NewContext(TLS_client_method()));
  std::shared_ptr<const TlsContext> context(new TlsContext(ctx));
  int loaded = ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx)
                               : SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr);
  if (loaded != 1) {
    return Fail(InvalidArgument("cannot load CA file " +
                                (ca_file.empty() ? std::string("(system default)") : ca_file) +
                                ": " + OpensslErrors()));
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return context;
}

bool IsLoopbackHost(std::string_view host) {
  if (host.starts_with("[") && host.ends_with("]")) host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace gantry::net
