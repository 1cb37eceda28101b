// The agent protocol (docs/api.md, "Agents"): what an agent and the server exchange at each
// poll. Plain values, with their JSON in wire/json.h; the broker takes them as they are.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/task.h"

namespace gantry::wire {

// An agent's view of itself, sent with every poll.
struct AgentStatus {
  std::string name;
  std::string hostname;
  int64_t total_cpus = 0;
  int64_t total_memory_mb = 0;
  int64_t free_cpus = 0;
  int64_t free_memory_mb = 0;
  // The agent's ClassAd (new syntax): Cpus, Memory, Gpus, Arch, OpSys, Site, custom
  // attributes, and optionally START/Requirements and Rank.
  std::string ad;
  // Room in the agent's local queue: array tasks beyond the free cores, which it starts as
  // cores free up (short tasks then follow each other without a round trip).
  int64_t queue_cpus = 0;
  int64_t queue_memory_mb = 0;
  // GPU devices: counted like cores (never over-committed); the agent picks the device ids.
  // Jobs that need GPUs are not queued beyond the free ones.
  int64_t total_gpus = 0;
  int64_t free_gpus = 0;
};

// What an agent tells the server about one attempt.
struct AttemptReport {
  // kWithdrawn: taken back unstarted from the agent's queue, as the server asked.
  enum class Type { kStarted, kFinished, kFailedToStart, kWithdrawn };
  Type type = Type::kStarted;
  int64_t attempt_id = 0;
  TimeMicros time = 0;
  // kFinished: when the attempt started (0: unknown). Its end may reach the server before
  // its start report does, or instead of it.
  TimeMicros start_time = 0;
  int exit_code = -1;
  int signal = 0;
  bool timed_out = false;
  bool oom_killed = false;
  model::Usage usage;
  std::string reason;
  std::string stdout_path;
  std::string stderr_path;
};

struct Assignment {
  model::Attempt attempt;
  model::Task task;
  std::shared_ptr<const model::Job> job;
  int64_t array_task_count = 0;
};

struct PollRequest {
  std::string agent_id;
  // The identity the server gave this agent process at its first poll (0: none yet). A name
  // is held by one live instance: another agent polling with it is refused.
  int64_t instance = 0;
  AgentStatus status;
  std::vector<AttemptReport> reports;
  std::vector<int64_t> running_attempts;
  int64_t max_wait_ms = 0;
};

struct PollResponse {
  int64_t instance = 0;  // the agent's instance: sent with its later polls and its leave
  std::vector<Assignment> assignments;
  std::vector<int64_t> kill_attempts;
  // Attempts to take back if they have not started (a hold, a better job waiting): each
  // is answered by a kWithdrawn report, or by its start or end if it has started.
  std::vector<int64_t> withdraw_attempts;
};

}  // namespace gantry::wire
