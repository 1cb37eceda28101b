// ServerLink: the agent's side of the agent protocol (docs/api.md, "Agent protocol").
// The seam between the agent loop and the transport; HttpServerLink speaks HTTP/JSON to
// a server on a Unix socket or TCP. Thread-compatible: one per thread.
#pragma once

#include <memory>
#include <string>

#include "base/error.h"
#include "wire/agent_protocol.h"

namespace gantry::agent {

class ServerLink {
 public:
  virtual ~ServerLink() = default;
  virtual Result<wire::PollResponse> Poll(const std::string& agent_id,
                                          const wire::PollRequest& request) = 0;
  virtual Status Wake(const std::string& agent_id) = 0;
  // Tells the server this agent (instance, from its polls' answers) is going away (its
  // attempts have been killed).
  virtual Status Leave(const std::string& agent_id, int64_t instance) = 0;
};

// url: unix:///path or http://127.0.0.1:PORT; token: sent as a bearer token over TCP.
Result<std::unique_ptr<ServerLink>> ConnectHttp(const std::string& url, const std::string& token,
                                                const std::string& ca_file = "");

}  // namespace gantry::agent
