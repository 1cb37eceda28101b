// Router: maps (method, path pattern) to handlers, answering 404 / 405 itself.
// Set up with Add before serving; afterwards Dispatch is const and safe to call from many
// threads at once (Add is not thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/http_types.h"

namespace gantry::net {

class Router {
 public:
  // pattern: "/v1/jobs/{id}/events". A literal segment matches itself; "{name}" matches one
  // non-empty segment, captured url-decoded into request.params["name"]. When several
  // patterns match, literal segments win over captures, leftmost first ("/jobs/stats" beats
  // "/jobs/{id}"). A route for GET also answers HEAD.
  void Add(std::string_view method, std::string_view pattern, Handler handler);

  // Runs the matching handler. Unknown path: 404; known path, other method: 405 with an
  // Allow header; malformed %-escape in a captured segment: 400. Bodies are
  // {"error": "..."}.
  HttpResponse Dispatch(HttpRequest& request) const;

  // A ServerHandler that dispatches here; the router must outlive the server.
  ServerHandler AsHandler() const;

 private:
  struct Segment {
    std::string text;  // literal text, or the capture name
    bool capture;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  std::vector<Route> routes_;
};

}  // namespace gantry::net
