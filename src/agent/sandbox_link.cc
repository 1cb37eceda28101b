#include "agent/sandbox_link.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "net/http_client.h"
#include "net/sha256.h"

namespace gantry::agent {
namespace {

using nlohmann::json;

// Percent-encodes all but RFC 3986's unreserved characters.
std::string QueryEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

class HttpSandboxLink final : public SandboxLink {
 public:
  HttpSandboxLink(std::unique_ptr<net::HttpClient> client, std::string token)
      : client_(std::move(client)), token_(std::move(token)) {}

  Status PutFile(const std::string& agent, int64_t attempt_id, const std::string& kind,
                 const std::string& name, const std::string& bytes) override {
    std::string path = "/v1/agents/" + QueryEscape(agent) + "/attempts/" +
                       std::to_string(attempt_id) + "/files?kind=" + kind;
    if (!name.empty()) path += "&name=" + QueryEscape(name);
    net::Headers headers = Headers();
    headers.emplace_back("Content-Type", "application/octet-stream");
    headers.emplace_back("X-Gantry-Sha256", net::Sha256Hex(bytes));
    GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r, client_->Request("PUT", path, bytes, headers));
    return Check(r);
  }

  Status Report(const std::string& agent, int64_t attempt_id,
                const SandboxReport& report) override {
    json body = {{"returned", json::array()}, {"missing", json::array()}};
    for (const auto& f : report.returned) {
      body["returned"].push_back({{"name", f.name}, {"bytes", f.bytes}});
    }
    for (const auto& f : report.missing) {
      body["missing"].push_back({{"name", f.name}, {"why", f.why}});
    }
    GANTRY_ASSIGN_OR_RETURN(
        net::HttpResponse r,
        client_->Request("POST",
                         "/v1/agents/" + QueryEscape(agent) + "/attempts/" +
                             std::to_string(attempt_id) + "/sandbox",
                         body.dump(-1, ' ', false, json::error_handler_t::replace), Headers()));
    return Check(r);
  }

  Result<std::vector<PeekOrder>> WaitPeeks(const std::string& agent, int64_t wait_ms) override {
    GANTRY_ASSIGN_OR_RETURN(
        net::HttpResponse r,
        client_->Request("POST",
                         "/v1/agents/" + QueryEscape(agent) + "/peeks?wait_ms=" +
                             std::to_string(wait_ms),
                         "{}", Headers()));
    GANTRY_RETURN_IF_ERROR(Check(r));
    json body = json::parse(r.body, nullptr, false);
    std::vector<PeekOrder> out;
    if (!body.is_object() || !body.contains("peeks") || !body["peeks"].is_array()) return out;
    for (const json& p : body["peeks"]) {
      if (!p.is_object()) continue;
      PeekOrder o;
      o.id = p.value("id", int64_t{0});
      o.attempt_id = p.value("attempt_id", int64_t{0});
      o.stream = p.value("stream", std::string("stdout"));
      o.offset = p.value("offset", int64_t{0});
      o.max = p.value("max", int64_t{0});
      out.push_back(std::move(o));
    }
    return out;
  }

  Status AnswerPeek(const std::string& agent, int64_t id, bool found,
                    const std::string& data) override {
    net::Headers headers = Headers();
    headers.emplace_back("Content-Type", "application/octet-stream");
    GANTRY_ASSIGN_OR_RETURN(
        net::HttpResponse r,
        client_->Request("PUT",
                         "/v1/agents/" + QueryEscape(agent) + "/peeks/" + std::to_string(id) +
                             "?found=" + (found ? "1" : "0"),
                         data, headers));
    return Check(r);
  }

 private:
  net::Headers Headers() const {
    if (token_.empty()) return {};
    return {{"Authorization", "Bearer " + token_}};
  }
  Status Check(const net::HttpResponse& r) const {
    if (r.status / 100 == 2) return {};
    std::string message = r.body;
    json body = json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
      message = body["error"].get<std::string>();
    }
    ErrorCode code = r.status == 400   ? ErrorCode::kInvalidArgument
                     : r.status == 403 ? ErrorCode::kPermissionDenied
                     : r.status == 404 ? ErrorCode::kNotFound
                     : r.status == 409 ? ErrorCode::kFailedPrecondition
                                       : ErrorCode::kUnavailable;
    return Fail(Error(code, "server " + client_->url() + " answered " + std::to_string(r.status) +
                                ": " + message));
  }

  std::unique_ptr<net::HttpClient> client_;
  std::string token_;
};

}  // namespace

Result<std::unique_ptr<SandboxLink>> ConnectSandboxHttp(const std::string& url,
                                                        const std::string& token,
                                                        const std::string& ca_file) {
  net::HttpClientOptions options;
  options.ca_file = ca_file;
  options.request_timeout = std::chrono::seconds(90);
  GANTRY_ASSIGN_OR_RETURN(auto client, net::HttpClient::Create(url, options));
  return std::unique_ptr<SandboxLink>(new HttpSandboxLink(std::move(client), token));
}

}  // namespace gantry::agent
