#include "api/routes_metrics.h"

#include <map>

#include "api/routes.h"

namespace gantry::api {

void AddMetricsRoute(net::Router& router, broker::Broker& broker, metrics::Registry& registry,
                     const AuthConfig& config) {
  registry.DeclareGauge("gantry_agents", "Agents the server knows, by state.");
  registry.DeclareGauge("gantry_agent_cpus", "Each agent's cores: kind=total or free.");
  registry.DeclareGauge("gantry_agent_running_attempts", "Unfinished attempts on each agent.");
  router.Add(
      "GET", "/metrics",
      Authed(config, identity::Scope::kComputeRead,
             [&broker, &registry](const net::HttpRequest&,
                                  const model::Identity& who) -> Result<net::HttpResponse> {
               if (!who.grants.admin && !who.grants.steer_agents) {
                 return Fail(PermissionDenied(
                     "/metrics shows the whole site: it needs an 'admin' or 'steer-agents' "
                     "rule of the policy for " +
                     who.Display() + " (docs/security.md)"));
               }
               GANTRY_ASSIGN_OR_RETURN(std::vector<broker::AgentInfo> agents, broker.Agents(who));
               std::map<std::string, int64_t> by_state;
               std::vector<std::pair<metrics::Labels, double>> cpus, running;
               for (const broker::AgentInfo& a : agents) {
                 by_state[a.state]++;
                 cpus.push_back(
                     {{{"agent", a.name}, {"kind", "total"}}, static_cast<double>(a.total_cpus)});
                 cpus.push_back(
                     {{{"agent", a.name}, {"kind", "free"}}, static_cast<double>(a.free_cpus)});
                 running.push_back({{{"agent", a.name}}, static_cast<double>(a.running)});
               }
               std::vector<std::pair<metrics::Labels, double>> states;
               for (const auto& [state, n] : by_state) {
                 states.push_back({{{"state", state}}, static_cast<double>(n)});
               }
               registry.ReplaceGauge("gantry_agents", states);
               registry.ReplaceGauge("gantry_agent_cpus", cpus);
               registry.ReplaceGauge("gantry_agent_running_attempts", running);
               net::HttpResponse reply;
               reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
               reply.body = registry.Render();
               return reply;
             }));
}

}  // namespace gantry::api
