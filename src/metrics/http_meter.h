// Times every API request into gantry_http_request_duration_seconds{method, route, code}: the
// route is the path with its captured segments named ("/v1/jobs/{id}/events"), so series stay
// few. Thread-safe (the router is, and so is the registry).
#pragma once

#include "metrics/registry.h"
#include "net/http_types.h"
#include "net/router.h"

namespace gantry::metrics {

inline constexpr std::string_view kHttpDuration = "gantry_http_request_duration_seconds";

// "/v1/jobs/42/events" with params {id: 42} -> "/v1/jobs/{id}/events"; a path no route
// matched (no params, 404) -> "other". Pure.
std::string RouteLabel(const net::HttpRequest& request, int status);

// router and registry must outlive the handler.
net::ServerHandler TimedHandler(const net::Router& router, Registry& registry);

}  // namespace gantry::metrics
