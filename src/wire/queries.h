// The queries' requests and answers that cross the API between the CLI and the server
// (submit, q, status, events, agents): plain values, with their JSON in wire/json.h. The
// broker takes and returns them as they are (broker/types.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/identity.h"
#include "model/selectors.h"
#include "model/task.h"
#include "model/task_ref.h"

namespace gantry::wire {

struct SubmitResult {
  int64_t job_id = 0;
  int64_t task_count = 0;
  model::TaskState state = model::TaskState::kReady;
  std::vector<std::string> warnings;
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

}  // namespace gantry::wire
