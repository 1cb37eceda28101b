// GET /metrics: the server's Prometheus metrics (docs/metrics.md), for callers the policy
// lets see the whole site: an `admin` or `steer-agents` rule (and a token's compute.read).
#pragma once

#include "api/auth.h"
#include "broker/broker.h"
#include "metrics/registry.h"
#include "net/router.h"

namespace gantry::api {

// broker, registry and config must outlive the router.
void AddMetricsRoute(net::Router& router, broker::Broker& broker, metrics::Registry& registry,
                     const AuthConfig& config);

}  // namespace gantry::api
