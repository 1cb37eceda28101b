// The records the broker keeps and the store persists: Job (one submission), Task (one
// schedulable unit: a job, or one array element), Attempt (one execution), Event (one
// journal entry). Plain value types: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "model/job_spec.h"
#include "model/state.h"

namespace gantry::model {

struct Owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string name;
};

struct Job {
  int64_t id = 0;  // == the id of its first task
  Owner owner;
  // The submitter's primary VO and group (model::Identity::vo, PrimaryGroup()): who sees
  // the job besides its owner (a see-vo role) and what it is accounted to. "" if none.
  std::string vo;
  std::string group;
  TimeMicros submit_time = 0;
  JobSpec spec;
};

struct Usage {
  double user_cpu_seconds = 0;
  double system_cpu_seconds = 0;
  double wall_seconds = 0;
  int64_t max_rss_kb = 0;
};

struct Task {
  int64_t id = 0;      // SLURM_JOB_ID of this unit
  int64_t job_id = 0;  // the submission (array) it belongs to
  std::optional<int64_t> array_index;
  uint32_t owner_uid = 0;  // copied from the job, so queries can filter by user
  TaskState state = TaskState::kSubmitted;
  std::string reason;         // why it is in this state, in words
  int64_t attempts = 0;       // attempts started so far
  int64_t deep_retries = 0;   // attempts that ran and failed, then were retried
  int64_t event_seq = 0;      // seq of the last event written for this task
  int64_t current_attempt = 0;  // attempt id while SCHEDULED/RUNNING, else 0
  bool cancel_requested = false;
  TimeMicros start_time = 0;  // of the last attempt that started
  TimeMicros end_time = 0;
  int exit_code = -1;  // -1 until it ended; with signal != 0 it was killed
  int signal = 0;
};

enum class AttemptState { kScheduled, kRunning, kEnded };

struct Attempt {
  int64_t id = 0;
  int64_t task_id = 0;
  int64_t number = 0;  // 1, 2, ... within the task
  std::string agent;
  AttemptState state = AttemptState::kScheduled;
  TimeMicros scheduled_time = 0;
  TimeMicros start_time = 0;
  TimeMicros end_time = 0;
  int exit_code = -1;
  int signal = 0;
  Usage usage;
  std::string reason;
  std::string stdout_path;
  std::string stderr_path;
};

struct Event {
  int64_t task_id = 0;
  int64_t seq = 0;  // 1, 2, ... per task, gap-free
  TimeMicros time = 0;
  std::string source;  // "unix:alice@local", "token:8a3e@https://iam/", "server", "agent:local"
  std::string type;    // "submitted", "state", "cancel-requested", "attempt-started", ...
  TaskState state = TaskState::kSubmitted;  // the task's state after this event
  std::string reason;
  // The identity that caused it (model::Actor): "" for the server's own transitions.
  std::string subject;
  std::string issuer;
  std::string vo;
};

std::string_view AttemptStateName(AttemptState s);

}  // namespace gantry::model
