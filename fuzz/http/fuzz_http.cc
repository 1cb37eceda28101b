// libFuzzer target for the HTTP/1.1 parsers (src/net/http_parser.h): the bytes a client
// sends a server, or a server sends a client. The first byte picks the parser, the method a
// response answers and how the rest is cut into Feed() calls. Anything may be refused;
// nothing may crash, hang or leak, and a message must parse the same however it is cut.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_parser.h"

namespace net = gantry::net;

namespace {

// Small limits so that the 413/431 paths are reached with short inputs.
constexpr net::ParseLimits kLimits{.max_header_bytes = 512, .max_body_bytes = 2048};

// One parse outcome per Next() that returned something, in order, as text to compare.
std::string Describe(const net::ParsedRequest& r) {
  std::string s = r.request.method + " " + r.request.path + (r.keep_alive ? " ka" : " close");
  for (const auto& [k, v] : r.request.query) s += "\nq " + k + "=" + v;
  for (const auto& [k, v] : r.request.headers) s += "\nh " + k + ": " + v;
  return s + "\n" + r.request.body;
}

std::string Describe(const net::ParsedResponse& r) {
  std::string s = std::to_string(r.response.status) + (r.keep_alive ? " ka" : " close");
  for (const auto& [k, v] : r.response.headers) s += "\nh " + k + ": " + v;
  return s + "\n" + r.response.body;
}

// Feeds `pieces` in turn and collects every message and the error, if any.
template <typename Parser>
std::vector<std::string> Run(Parser& parser, const std::vector<std::string_view>& pieces,
                             bool finish) {
  std::vector<std::string> out;
  for (std::string_view piece : pieces) {
    parser.Feed(piece);
    for (;;) {
      auto next = parser.Next();
      if (!next) {
        out.push_back("error " + std::to_string(next.error().status));
        return out;
      }
      if (!*next) break;
      out.push_back(Describe(**next));
    }
  }
  if constexpr (requires { parser.Finish(); }) {
    if (finish) {
      auto last = parser.Finish();
      if (!last) {
        out.push_back("error " + std::to_string(last.error().status));
      } else if (*last) {
        out.push_back(Describe(**last));
      }
    }
  }
  return out;
}

std::vector<std::string_view> Cut(std::string_view text, uint8_t seed) {
  std::vector<std::string_view> pieces;
  size_t step = 1 + seed % 7;
  while (!text.empty()) {
    size_t n = std::min(text.size(), step);
    pieces.push_back(text.substr(0, n));
    text.remove_prefix(n);
    step = 1 + (step * 5 + seed) % 13;
  }
  return pieces;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t control = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string_view> whole = {text};
  std::vector<std::string_view> pieces = Cut(text, control >> 2);
  std::vector<std::string> a, b;
  if (control % 2 == 0) {
    net::RequestParser p1(kLimits), p2(kLimits);
    a = Run(p1, whole, false);
    b = Run(p2, pieces, false);
  } else {
    bool head = control & 2;
    net::ResponseParser p1(kLimits), p2(kLimits);
    p1.ExpectResponseTo(head ? "HEAD" : "GET");
    p2.ExpectResponseTo(head ? "HEAD" : "GET");
    a = Run(p1, whole, true);
    b = Run(p2, pieces, true);
  }
  if (a != b) std::abort();  // cutting the stream differently changed what was parsed
  return 0;
}
