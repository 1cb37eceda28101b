// The REST API of docs/api.md: each handler authenticates, decodes, calls the Broker and
// encodes. Handlers run on the HTTP server's connection threads; the Broker is thread-safe.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "api/auth.h"
#include "broker/broker.h"
#include "net/router.h"

namespace gantry::api {

using nlohmann::json;

class PeekHub;

// The broker, config and peeks must outlive the router. peeks: for `gantry logs` of attempts
// on agents without a shared filesystem (null: output is read from the server's filesystem).
void AddRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config,
               PeekHub* peeks = nullptr);
// The agent-steering endpoints (routes_agents.cc); AddRoutes adds them.
void AddAgentRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config);
// The sandboxes: returned files, their report, peeks (routes_sandbox.cc); AddRoutes adds them.
void AddSandboxRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config,
                      PeekHub* peeks);
// Token revocation (routes_tokens.cc); AddRoutes adds them.
void AddTokenRoutes(net::Router& router, const AuthConfig& config);

// A handler body for an authenticated caller; it may fail (ErrorReply answers).
using AuthedHandler = std::function<Result<net::HttpResponse>(const net::HttpRequest&,
                                                              const model::Identity&)>;
// Authenticates (401 with a challenge), checks the endpoint's scope and that only agents
// use the agent protocol (403 naming what is missing), then runs f. The agent protocol's
// endpoints take Scope::kAgent. config must outlive the handler.
net::Handler Authed(const AuthConfig& config, identity::Scope scope, AuthedHandler f);

net::HttpResponse JsonReply(const nlohmann::json& body, int status = 200);

// HTTP status for an error code (InvalidArgument -> 400, NotFound -> 404, ...).
int HttpStatus(ErrorCode code);
// {"error": message, "code": "NotFound"} with the matching status.
net::HttpResponse ErrorReply(const Error& error);

}  // namespace gantry::api
