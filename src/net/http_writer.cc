#include "net/http_writer.h"

#include "base/strings.h"

namespace gantry::net {
namespace {

bool IsFramingHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
         EqualsIgnoreCase(name, "connection");
}

// Header values from handlers must not smuggle extra lines into the response.
void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  out += "\r\n";
}

}  // namespace

bool StatusHasBody(int status) { return status >= 200 && status != 204 && status != 304; }

std::string SerializeResponseHead(const HttpResponse& response, ConnectionMode connection) {
  std::string out;
  out.reserve(128 + response.headers.size() * 32);
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += StatusReason(response.status);
  out += "\r\n";
  if (StatusHasBody(response.status)) {
    if (!response.content_type.empty()) AppendHeader(out, "Content-Type", response.content_type);
    AppendHeader(out, "Content-Length", std::to_string(response.body.size()));
  }
  for (const auto& [name, value] : response.headers) {
    if (!IsFramingHeader(name) && !EqualsIgnoreCase(name, "content-type")) {
      AppendHeader(out, name, value);
    }
  }
  if (connection == ConnectionMode::kClose) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

std::string SerializeRequestHead(std::string_view method, std::string_view target,
                                 std::string_view host, size_t body_size, const Headers& extra) {
  std::string out;
  out.reserve(128 + target.size() + extra.size() * 32);
  out += method;
  out += ' ';
  out += target;
  out += " HTTP/1.1\r\n";
  AppendHeader(out, "Host", host);
  bool has_content_type = false;
  for (const auto& [name, value] : extra) {
    if (IsFramingHeader(name) || EqualsIgnoreCase(name, "host")) continue;
    has_content_type = has_content_type || EqualsIgnoreCase(name, "content-type");
    AppendHeader(out, name, value);
  }
  if (body_size > 0 || method == "POST" || method == "PUT" || method == "PATCH") {
    AppendHeader(out, "Content-Length", std::to_string(body_size));
  }
  if (body_size > 0 && !has_content_type) AppendHeader(out, "Content-Type", "application/json");
  out += "\r\n";
  return out;
}

}  // namespace gantry::net
