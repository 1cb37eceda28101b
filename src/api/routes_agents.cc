// Agent steering endpoints (docs/api.md "Agents"): GET /v1/agents, POST
// /v1/agents/{name}/drain and /resume. The broker checks the steer-agents rule.
#include "api/routes.h"
#include "wire/json.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;

json AgentToJson(const broker::AgentInfo& a) {
  return {{"name", a.name},
          {"instance", a.instance},
          {"hostname", a.hostname},
          {"total_cpus", a.total_cpus},
          {"free_cpus", a.free_cpus},
          {"total_memory_mb", a.total_memory_mb},
          {"free_memory_mb", a.free_memory_mb},
          {"running", a.running},
          {"state", a.state},
          {"last_seen", a.last_seen},
          {"drain_reason", a.drain_reason},
          {"drained_by", a.drained_by},
          {"drain_time", a.drain_time}};
}

}  // namespace

void AddAgentRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config) {
  router.Add("GET", "/v1/agents",
             Authed(config, identity::Scope::kComputeRead,
                    [&broker](const HttpRequest&, const model::Identity& who)
                        -> Result<HttpResponse> {
                      GANTRY_ASSIGN_OR_RETURN(auto agents, broker.Agents(who));
                      json out = json::array();
                      for (const auto& a : agents) out.push_back(AgentToJson(a));
                      return JsonReply({{"agents", out}});
                    }));
  router.Add("POST", "/v1/agents/{name}/drain",
             Authed(config, identity::Scope::kComputeModify,
                    [&broker](const HttpRequest& req, const model::Identity& who)
                        -> Result<HttpResponse> {
                      std::string reason;
                      if (!req.body.empty()) {
                        GANTRY_ASSIGN_OR_RETURN(json body, wire::ParseJson(req.body));
                        if (body.is_object() && body.contains("reason")) {
                          if (!body["reason"].is_string()) {
                            return Fail(InvalidArgument("'reason' must be a string"));
                          }
                          reason = body["reason"].get<std::string>();
                        }
                      }
                      GANTRY_ASSIGN_OR_RETURN(
                          auto agent,
                          broker.Drain(who, std::string(req.Param("name")), std::move(reason)));
                      return JsonReply(AgentToJson(agent));
                    }));
  router.Add("POST", "/v1/agents/{name}/resume",
             Authed(config, identity::Scope::kComputeModify,
                    [&broker](const HttpRequest& req, const model::Identity& who)
                        -> Result<HttpResponse> {
                      GANTRY_ASSIGN_OR_RETURN(auto agent,
                                              broker.Resume(who, std::string(req.Param("name"))));
                      return JsonReply(AgentToJson(agent));
                    }));
}

}  // namespace gantry::api
