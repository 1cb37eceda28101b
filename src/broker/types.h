// Requests and answers of the broker's service interface. Plain values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/identity.h"
#include "model/selectors.h"
#include "model/task.h"
#include "model/task_ref.h"

namespace gantry::broker {

struct SubmitResult {
  int64_t job_id = 0;
  int64_t task_count = 0;
  model::TaskState state = model::TaskState::kReady;
  std::vector<std::string> warnings;
};

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

// One row of `gantry q`: one task, or the untouched tasks of an array (model::ArrayTail),
// which share everything but their index; then task is the first of them.
struct TaskSummary {
  model::Task task;
  int64_t count = 1;    // tasks this row stands for
  std::string indexes;  // their array indexes, "5-99,101"; "" if not an array
  std::string name;
  std::string owner;
  std::string partition;
  int64_t cpus = 1;
  int64_t array_task_count = 0;
  TimeMicros submit_time = 0;
  int64_t time_limit_seconds = 0;
};

// Everything known about one task, for `gantry status`.
struct TaskDetail {
  TaskSummary summary;
  model::Job job;
  std::vector<model::Attempt> attempts;
  std::string why;  // in words, why it is not running (empty if running or ended)
};

// An entry of a journal listing: one task's event, or (tasks = "12_[5-99]", event.task_id
// 0) an event of an array's untouched tasks, which share one journal.
struct JournalEntry {
  model::Event event;
  std::string tasks;
};

// What `gantry q` asks for. Rows come newest first; a page ends after `limit` rows, and the
// next one starts below its cursor.
struct QueueFilter {
  bool include_finished = false;
  std::vector<model::TaskState> states;  // empty: any
  std::optional<std::string> user;
  std::optional<std::string> name;
  std::vector<model::JobSelector> jobs;  // empty: any
  std::optional<int64_t> cursor;         // a QueuePage::next_cursor
  std::optional<int64_t> limit;          // none: every row
};

struct QueuePage {
  std::vector<TaskSummary> rows;
  std::optional<int64_t> next_cursor;  // set when more rows follow
};

// One agent as `gantry agents` lists it (sinfo / scontrol show node).
struct AgentInfo {
  std::string name;
  int64_t instance = 0;
  std::string hostname;
  int64_t total_cpus = 0;
  int64_t free_cpus = 0;
  int64_t total_memory_mb = 0;
  int64_t free_memory_mb = 0;
  int64_t running = 0;  // unfinished attempts on it
  // "idle", "mixed" (some cores busy), "allocated" (none free), "draining" (drained, work
  // still running), "drained", "lost" (silent past the agent timeout; drained or not).
  std::string state;
  TimeMicros last_seen = 0;  // 0: drained before it was ever seen (since the server started)
  std::string drain_reason;  // "" unless drained
  std::string drained_by;    // the journal source of who drained it
  TimeMicros drain_time = 0;
};

}  // namespace gantry::broker
