#include "pilots/factory.h"

#include <algorithm>

namespace gantry::pilots {
namespace {

int64_t Seconds(TimeMicros t) { return t / kMicrosPerSecond; }

}  // namespace

PilotFactory::PilotFactory(FactoryConfig config, const Clock& clock)
    : config_(config), clock_(clock) {}

int64_t PilotFactory::MarginSeconds(int64_t time_seconds) {
  // A tenth of the pilot's time, 15 s to 5 min: room for the agent to stop its last job,
  // tell the server and exit before SLURM's SIGTERM (and SIGKILL after KillWait).
  return std::clamp<int64_t>(time_seconds / 10, 15, 300);
}

int64_t PilotFactory::LifetimeSeconds() const {
  return std::max<int64_t>(config_.time_seconds - MarginSeconds(config_.time_seconds), 1);
}

int64_t PilotFactory::LongestJobSeconds() const {
  return std::max<int64_t>(LifetimeSeconds() - config_.kill_grace_seconds, 0);
}

bool PilotFactory::Fits(int64_t cpus, int64_t time_limit_seconds) const {
  return cpus <= config_.cores && time_limit_seconds <= LongestJobSeconds();
}

void PilotFactory::Failure(const std::string& why) {
  status_.failures++;
  status_.failed_total++;
  status_.last_error = why;
  int64_t backoff = config_.backoff_base_seconds;
  for (int64_t i = 1; i < status_.failures && backoff < config_.backoff_max_seconds; ++i) {
    backoff *= 2;
  }
  backoff = std::min(backoff, config_.backoff_max_seconds);
  status_.backoff_until = clock_.Now() + backoff * kMicrosPerSecond;
}

void PilotFactory::Success() {
  status_.failures = 0;
  status_.backoff_until = 0;
}

void PilotFactory::Submitted(const std::string& slurm_id, const std::string& token_id) {
  Pilot p;
  p.slurm_id = slurm_id;
  p.name = NameFor(slurm_id);
  p.submitted = clock_.Now();
  p.token_id = token_id;
  pilots_[slurm_id] = std::move(p);
  status_.submitted_total++;
}

void PilotFactory::SubmitFailed(const std::string& why) { Failure(why); }

void PilotFactory::SlurmUnreachable(const std::string& why) { Failure(why); }

void PilotFactory::ObserveSlurm(const std::map<std::string, SlurmJobInfo>& jobs) {
  TimeMicros now = clock_.Now();
  for (auto& [id, p] : pilots_) {
    auto it = jobs.find(id);
    if (it == jobs.end()) {
      // Neither squeue nor sacct knows it: purged after it ended (MinJobAge), or lost.
      TimeMicros since = p.last_seen_in_slurm ? p.last_seen_in_slurm : p.submitted;
      if (p.phase != SlurmPhase::kEnded &&
          now - since > config_.unknown_grace_seconds * kMicrosPerSecond) {
        p.phase = SlurmPhase::kEnded;
        p.slurm_state = "UNKNOWN";
        p.slurm_reason = "neither squeue nor sacct knows it";
      }
      continue;
    }
    p.last_seen_in_slurm = now;
    p.phase = it->second.phase;
    p.slurm_state = it->second.state;
    p.slurm_reason = it->second.reason;
    if (p.phase != SlurmPhase::kQueued && p.started == 0) p.started = now;
  }
}

void PilotFactory::ObserveAgents(const std::map<std::string, PilotAgent>& agents) {
  for (auto& [id, p] : pilots_) {
    auto it = agents.find(p.name);
    p.live = it != agents.end() && it->second.live;
    p.running = it != agents.end() ? it->second.running : 0;
    p.free_cpus = p.live ? it->second.free_cpus : 0;
    if (p.live && p.connected == 0) {
      p.connected = clock_.Now();
      Success();  // the cluster starts pilots: no more backoff
    }
  }
}

std::vector<std::string> PilotFactory::QueryIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, p] : pilots_) {
    if (p.phase != SlurmPhase::kEnded) ids.push_back(id);
  }
  return ids;
}

std::vector<Pilot> PilotFactory::Pilots() const {
  std::vector<Pilot> out;
  for (const auto& [id, p] : pilots_) out.push_back(p);
  return out;
}

Plan PilotFactory::Decide(const Demand& demand) {
  TimeMicros now = clock_.Now();
  Plan plan;
  for (auto it = pilots_.begin(); it != pilots_.end();) {
    Pilot& p = it->second;
    if (p.phase == SlurmPhase::kEnded) {
      if (p.connected == 0 && !p.cancel_sent) {
        Failure("pilot " + p.slurm_id + " ended (" + p.slurm_state +
                (p.slurm_reason.empty() || p.slurm_reason == "None" ? "" : ", " + p.slurm_reason) +
                ") without reaching the server");
        p.note = status_.last_error;
      }
      plan.forget.push_back(p);
      it = pilots_.erase(it);
      continue;
    }
    if (!p.cancel_sent) {
      auto cancel = [&](std::string why) {
        p.cancel_sent = true;
        p.note = std::move(why);
        plan.cancel.push_back(p.slurm_id);
      };
      if (p.phase == SlurmPhase::kQueued && demand.tasks == 0) {
        cancel("no work waits for it");
      } else if (p.phase == SlurmPhase::kQueued &&
                 now - p.submitted > config_.queue_timeout_seconds * kMicrosPerSecond) {
        cancel("queued in SLURM for over " + std::to_string(config_.queue_timeout_seconds) + " s");
      } else if (p.phase == SlurmPhase::kRunning && p.connected == 0 && p.started != 0 &&
                 now - p.started > config_.connect_timeout_seconds * kMicrosPerSecond) {
        cancel("running in SLURM for " + std::to_string(Seconds(now - p.started)) +
               " s without reaching the server");
        Failure("pilot " + p.slurm_id + " " + p.note);
      }
    }
    ++it;
  }

  if (demand.tasks <= 0 || now < status_.backoff_until) return plan;
  // Capacity already there or on its way: free cores of live pilots, and pilots not yet
  // connected. Only what they cannot take asks for more pilots.
  int64_t alive = 0, incoming = 0, free_cpus = 0;
  for (const auto& [id, p] : pilots_) {
    if (p.cancel_sent) continue;
    ++alive;
    if (p.connected == 0) ++incoming;
    if (p.live) free_cpus += p.free_cpus;
  }
  int64_t uncovered = demand.cpus - incoming * config_.cores - free_cpus;
  if (uncovered <= 0) return plan;
  int64_t wanted = (uncovered + config_.cores - 1) / config_.cores;
  plan.submit = std::clamp<int64_t>(std::min({wanted, config_.max_pilots - alive, config_.burst}),
                                    0, config_.burst);
  return plan;
}

}  // namespace gantry::pilots
