// Agent steering: list, drain, resume (gantry agents; docs/security.md's steer-agents).
#include <algorithm>

#include "broker/broker.h"

namespace gantry::broker {
namespace {

Status MaySteerAgents(const model::Identity& caller) {
  if (caller.grants.admin || caller.grants.steer_agents) return {};
  return Fail(PermissionDenied("steering agents needs an 'admin' or 'steer-agents' rule of the "
                               "policy naming " + caller.Display() + " (docs/security.md)"));
}

}  // namespace

AgentInfo Broker::AgentInfoOf(const std::string& name) const {
  AgentInfo info;
  info.name = name;
  auto it = agents_.find(name);
  bool live = false;
  if (it != agents_.end()) {
    const AgentRecord& a = it->second;
    info.instance = a.instance;
    info.hostname = a.status.hostname;
    info.total_cpus = a.status.total_cpus;
    info.free_cpus = a.status.free_cpus;
    info.total_memory_mb = a.status.total_memory_mb;
    info.free_memory_mb = a.status.free_memory_mb;
    info.last_seen = a.last_seen;
    live = AgentLive(a);
  }
  for (const auto& [id, attempt] : attempts_) info.running += attempt.agent == name;
  auto drain = drains_.find(name);
  if (drain != drains_.end()) {
    info.drain_reason = drain->second.reason;
    info.drained_by = drain->second.source;
    info.drain_time = drain->second.time;
  }
  if (!live) {
    info.state = "lost";
  } else if (drain != drains_.end()) {
    info.state = info.running > 0 ? "draining" : "drained";
  } else if (info.running == 0) {
    info.state = "idle";
  } else {
    info.state = info.free_cpus > 0 ? "mixed" : "allocated";
  }
  return info;
}

Result<std::vector<AgentInfo>> Broker::Agents(const model::Identity& caller) {
  GANTRY_RETURN_IF_ERROR(MaySteerAgents(caller));
  std::lock_guard lock(mu_);
  std::vector<AgentInfo> out;
  for (const auto& [name, agent] : agents_) out.push_back(AgentInfoOf(name));
  for (const auto& [name, drain] : drains_) {
    if (!agents_.count(name)) out.push_back(AgentInfoOf(name));
  }
  std::sort(out.begin(), out.end(),
            [](const AgentInfo& a, const AgentInfo& b) { return a.name < b.name; });
  return out;
}

Result<AgentInfo> Broker::Drain(const model::Identity& caller, const std::string& name,
                                std::string reason) {
  GANTRY_RETURN_IF_ERROR(MaySteerAgents(caller));
  if (name.empty()) return Fail(InvalidArgument("name the agent to drain"));
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  if (!agents_.count(name) && !drains_.count(name)) {
    return Fail(NotFound("no agent named '" + name + "' has connected since the server started"));
  }
  Pending p;
  store::AgentDrain drain{name, true, reason.empty() ? "drained" : std::move(reason),
                          model::Actor::Of(caller).source, clock_.Now()};
  p.batch.agent_drains.push_back(drain);
  GANTRY_RETURN_IF_ERROR(CommitLocked(p, lock));  // the drain is shown once durable
  drains_[name] = std::move(drain);
  return AgentInfoOf(name);
}

Result<AgentInfo> Broker::Resume(const model::Identity& caller, const std::string& name) {
  GANTRY_RETURN_IF_ERROR(MaySteerAgents(caller));
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  if (!drains_.count(name)) {
    if (!agents_.count(name)) return Fail(NotFound("no agent named '" + name + "'"));
    return Fail(FailedPrecondition("agent '" + name + "' is not drained"));
  }
  Pending p;
  p.batch.agent_drains.push_back({name, false, "", "", clock_.Now()});
  GANTRY_RETURN_IF_ERROR(CommitLocked(p, lock));
  drains_.erase(name);
  cv_.notify_all();  // its pending long-poll may take work now
  return AgentInfoOf(name);
}

}  // namespace gantry::broker
