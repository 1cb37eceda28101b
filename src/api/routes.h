// The REST API of docs/api.md: each handler authenticates, decodes, calls the Broker and
// encodes. Handlers run on the HTTP server's connection threads; the Broker is thread-safe.
#pragma once

#include "api/auth.h"
#include "broker/broker.h"
#include "net/router.h"

namespace gantry::api {

// The broker and config must outlive the router.
void AddRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config);

// HTTP status for an error code (InvalidArgument -> 400, NotFound -> 404, ...).
int HttpStatus(ErrorCode code);
// {"error": message, "code": "NotFound"} with the matching status.
net::HttpResponse ErrorReply(const Error& error);

}  // namespace gantry::api
