#include "net/router.h"

#include <algorithm>

#include "base/check.h"
#include "base/strings.h"
#include "net/url.h"

namespace gantry::net {
namespace {

// "/a/b" -> {"a", "b"}; "/" -> {}.
std::vector<std::string> PathSegments(std::string_view path) {
  if (path.starts_with("/")) path.remove_prefix(1);
  if (path.empty()) return {};
  return Split(path, '/');
}

}  // namespace

void Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  GANTRY_CHECK(pattern.starts_with("/"));
  GANTRY_CHECK(handler != nullptr);
  Route route{.method = std::string(method),
              .pattern = std::string(pattern),
              .segments = {},
              .handler = std::move(handler)};
  for (std::string& part : PathSegments(pattern)) {
    bool capture = part.size() > 2 && part.front() == '{' && part.back() == '}';
    if (capture) part = part.substr(1, part.size() - 2);
    route.segments.push_back({.text = std::move(part), .capture = capture});
  }
  routes_.push_back(std::move(route));
}

HttpResponse Router::Dispatch(HttpRequest& request) const {
  std::vector<std::string> raw = PathSegments(request.path);
  std::vector<std::string> decoded;
  decoded.reserve(raw.size());
  for (const std::string& segment : raw) {
    std::optional<std::string> text = PercentDecode(segment, PlusAsSpace::kNo);
    if (!text) return ErrorResponse(400, "malformed %-escape in path " + request.path);
    decoded.push_back(*std::move(text));
  }
  // Best match: compare patterns segment by segment, a literal beating a capture.
  auto better = [](const Route& a, const Route& b) {
    for (size_t i = 0; i < a.segments.size(); ++i) {
      if (a.segments[i].capture != b.segments[i].capture) return !a.segments[i].capture;
    }
    return false;
  };
  const Route* best = nullptr;
  std::vector<std::string> allowed;
  const std::string_view method =
      request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
  for (const Route& route : routes_) {
    if (route.segments.size() != decoded.size()) continue;
    bool match = true;
    for (size_t i = 0; i < decoded.size() && match; ++i) {
      const Segment& segment = route.segments[i];
      match = segment.capture ? !decoded[i].empty() : segment.text == decoded[i];
    }
    if (!match) continue;
    if (route.method != method && route.method != request.method) {
      allowed.push_back(route.method);
      continue;
    }
    if (best == nullptr || better(route, *best)) best = &route;
  }
  if (best == nullptr) {
    if (allowed.empty()) {
      return ErrorResponse(404, "no such endpoint: " + request.method + " " + request.path);
    }
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    HttpResponse response =
        ErrorResponse(405, "method " + request.method + " is not allowed for " + request.path +
                               " (allowed: " + Join(allowed, ", ") + ")");
    response.headers.emplace_back("Allow", Join(allowed, ", "));
    return response;
  }
  request.params.clear();
  for (size_t i = 0; i < decoded.size(); ++i) {
    if (best->segments[i].capture) request.params[best->segments[i].text] = decoded[i];
  }
  return best->handler(request);
}

ServerHandler Router::AsHandler() const {
  return [this](HttpRequest& request) { return Dispatch(request); };
}

}  // namespace gantry::net
