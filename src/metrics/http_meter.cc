#include "metrics/http_meter.h"

#include <chrono>

#include "base/strings.h"

namespace gantry::metrics {

std::string RouteLabel(const net::HttpRequest& request, int status) {
  if (status == 404 && request.params.empty()) return "other";
  if (status == 405) return "other";
  std::string out;
  for (const std::string& segment : Split(request.path, '/')) {
    if (segment.empty()) continue;
    std::string piece = segment;
    for (const auto& [name, value] : request.params) {
      if (value == segment) piece = "{" + name + "}";
    }
    out += "/" + piece;
  }
  return out.empty() ? "/" : out;
}

net::ServerHandler TimedHandler(const net::Router& router, Registry& registry) {
  registry.DeclareHistogram(
      std::string(kHttpDuration),
      "API request latency in seconds, by method, route and status code "
      "(the agents' long polls included: route /v1/agents/{name}/poll).",
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
  return [&router, &registry](net::HttpRequest& request) {
    auto start = std::chrono::steady_clock::now();
    net::HttpResponse response = router.Dispatch(request);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    registry.Observe(kHttpDuration,
                     {{"method", request.method},
                      {"route", RouteLabel(request, response.status)},
                      {"code", std::to_string(response.status)}},
                     seconds);
    return response;
  };
}

}  // namespace gantry::metrics
