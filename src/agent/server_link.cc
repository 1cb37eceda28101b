#include "agent/server_link.h"

#include "net/http_client.h"
#include "wire/json.h"

namespace gantry::agent {
namespace {

class HttpServerLink final : public ServerLink {
 public:
  HttpServerLink(std::unique_ptr<net::HttpClient> client, std::string token)
      : client_(std::move(client)), token_(std::move(token)) {}

  Result<wire::PollResponse> Poll(const std::string& agent_id,
                                  const wire::PollRequest& request) override {
    GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r,
                            client_->Request("POST", "/v1/agents/" + agent_id + "/poll",
                                             wire::PollRequestToJson(request).dump(), Headers()));
    GANTRY_RETURN_IF_ERROR(Check(r));
    GANTRY_ASSIGN_OR_RETURN(wire::json body, wire::ParseJson(r.body));
    return wire::PollResponseFromJson(body);
  }

  Status Leave(const std::string& agent_id, int64_t instance) override {
    wire::json body = {{"instance", instance}};
    GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r,
                            client_->Request("POST", "/v1/agents/" + agent_id + "/leave",
                                             body.dump(), Headers()));
    return Check(r);
  }

  Status Wake(const std::string& agent_id) override {
    GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r,
                            client_->Request("POST", "/v1/agents/" + agent_id + "/wake", "{}",
                                             Headers()));
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
    auto body = wire::ParseJson(r.body);
    if (body && body->contains("error")) message = (*body)["error"].get<std::string>();
    // A refused identity will not change by retrying: those end the agent.
    ErrorCode code = r.status == 401   ? ErrorCode::kUnauthenticated
                     : r.status == 403 ? ErrorCode::kPermissionDenied
                     : r.status == 409 ? ErrorCode::kAlreadyExists  // its name is taken
                     : r.status == 400 ? ErrorCode::kInvalidArgument  // e.g. its partition
                                       : ErrorCode::kUnavailable;
    return Fail(Error(code, "server " + client_->url() + " answered " + std::to_string(r.status) +
                                ": " + message));
  }

  std::unique_ptr<net::HttpClient> client_;
  std::string token_;
};

}  // namespace

Result<std::unique_ptr<ServerLink>> ConnectHttp(const std::string& url, const std::string& token,
                                                const std::string& ca_file) {
  net::HttpClientOptions options;
  options.ca_file = ca_file;
  options.request_timeout = std::chrono::seconds(90);  // longer than the longest long-poll
  GANTRY_ASSIGN_OR_RETURN(auto client, net::HttpClient::Create(url, options));
  return std::unique_ptr<ServerLink>(new HttpServerLink(std::move(client), token));
}

}  // namespace gantry::agent
