// InProcessLink: the agent protocol without the wire, for `gantry up`, where the agent and
// the broker share a process. Same calls, same semantics as HTTP (docs/api.md), minus the
// JSON and the socket. Thread-compatible (one per agent thread); the Broker is thread-safe.
#pragma once

#include <memory>

#include "agent/server_link.h"
#include "broker/broker.h"

namespace gantry::server {

std::unique_ptr<agent::ServerLink> NewInProcessLink(broker::Broker& broker);

}  // namespace gantry::server
