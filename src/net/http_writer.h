// Serialises message heads for the wire. Bodies are sent separately (no copy). Pure
// functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "net/http_types.h"

namespace gantry::net {

enum class ConnectionMode { kKeepAlive, kClose };

// "HTTP/1.1 200 OK\r\n...\r\n\r\n" with Content-Type, Content-Length and, for kClose,
// "Connection: close". Framing headers in response.headers (Content-Length,
// Transfer-Encoding, Connection) are dropped: the server owns framing.
std::string SerializeResponseHead(const HttpResponse& response, ConnectionMode connection);

// "METHOD target HTTP/1.1\r\nHost: host\r\nContent-Length: n\r\n...\r\n\r\n". Adds
// "Content-Type: application/json" for a non-empty body unless `extra` sets a content type.
std::string SerializeRequestHead(std::string_view method, std::string_view target,
                                 std::string_view host, size_t body_size, const Headers& extra);

// Whether a response with this status carries a body at all (not 1xx, 204, 304).
bool StatusHasBody(int status);

}  // namespace gantry::net
