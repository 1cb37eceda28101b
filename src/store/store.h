// Store: the durable record of jobs, tasks, attempts and events (docs/schema.md).
// The seam between the broker and a database; SqliteStore is the embedded default.
// Implementations are thread-safe: writes are serialised, reads may run beside them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "model/array_tail.h"
#include "model/selectors.h"
#include "model/task.h"

namespace gantry::store {

// An agent an operator drained (`gantry agents drain`): it is given no new work, across
// restarts too, until resumed.
struct AgentDrain {
  std::string name;
  bool drained = true;  // false: resumed (the row is deleted)
  std::string reason;
  std::string source;   // who drained it, as an event source
  TimeMicros time = 0;
};

// Everything one transition writes: applied in one transaction or not at all.
struct Batch {
  std::vector<model::Job> new_jobs;
  std::vector<model::Task> tasks;        // upserted whole
  std::vector<model::Attempt> attempts;  // upserted whole
  std::vector<model::Event> events;      // appended
  std::vector<model::ArrayTail> tails;   // upserted (without their journal)
  std::vector<model::Event> tail_events; // appended; task_id holds the tail's job id
  std::vector<AgentDrain> agent_drains;  // upserted, or deleted when resumed
  bool empty() const {
    return new_jobs.empty() && tasks.empty() && attempts.empty() && events.empty() &&
           tails.empty() && tail_events.empty() && agent_drains.empty();
  }
};

struct TaskFilter {
  bool include_finished = false;
  std::optional<uint32_t> owner_uid;
  std::optional<int64_t> job_id;
  int64_t limit = 10000;
};

// A page of finished tasks (history), newest (highest id) first. Every filter is applied in
// the query, which an index serves: job ids (tasks_job), else the job name (jobs_name), else
// the owner (tasks_history_owner; names through jobs_owner), else the state
// (tasks_history_state); see docs/schema.md.
struct HistoryQuery {
  std::optional<uint32_t> owner_uid;       // only this owner's tasks (access)
  std::optional<std::string> owner_name;   // only jobs submitted by this user name
  std::optional<std::string> name;         // only jobs of this name
  std::vector<std::string> vos;            // only jobs of these VOs (access: see-vo)
  std::vector<model::TaskState> states;    // of DONE, FAILED, CANCELLED; empty: all three
  std::vector<model::JobSelector> jobs;    // empty: any job
  int64_t before_id = INT64_MAX;           // only ids below (the page cursor)
  int64_t limit = 100;
};

// What the broker needs to resume after a restart.
struct ActiveState {
  std::vector<model::Job> jobs;    // jobs with at least one unfinished task
  std::vector<model::Task> tasks;  // their unfinished tasks
  std::vector<model::ArrayTail> tails;  // unfinished tails, with journal and taken positions
  std::vector<model::Attempt> attempts;  // unfinished attempts
  int64_t max_id = 0;   // highest task id ever used (tails reserve their whole range)
  int64_t max_attempt_id = 0;
  std::vector<AgentDrain> agent_drains;  // agents drained and not resumed
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Status Commit(const Batch& batch) = 0;
  // Writes the batches, in order, in one transaction (one fsync): all of them or none. The
  // default merges them into one Batch (a later upsert of a row wins, as in sequence).
  virtual Status CommitAll(const std::vector<const Batch*>& batches) {
    if (batches.size() == 1) return Commit(*batches[0]);
    Batch merged;
    auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    for (const Batch* b : batches) {
      append(merged.new_jobs, b->new_jobs);
      append(merged.tasks, b->tasks);
      append(merged.attempts, b->attempts);
      append(merged.events, b->events);
      append(merged.tails, b->tails);
      append(merged.tail_events, b->tail_events);
      append(merged.agent_drains, b->agent_drains);
    }
    return Commit(merged);
  }
  virtual Result<ActiveState> LoadActive() = 0;

  virtual Result<std::optional<model::Job>> GetJob(int64_t job_id) = 0;
  virtual Result<std::optional<model::Task>> GetTask(int64_t task_id) = 0;
  virtual Result<std::vector<model::Task>> GetTasksOfJob(int64_t job_id) = 0;
  virtual Result<std::vector<model::Task>> ListTasks(const TaskFilter& filter) = 0;
  virtual Result<std::vector<model::Task>> ListHistory(const HistoryQuery& query) = 0;
  virtual Result<std::vector<model::Event>> GetEvents(int64_t task_id) = 0;
  virtual Result<std::vector<model::Attempt>> GetAttempts(int64_t task_id) = 0;
  // The tail of the array whose id range holds task_id (job_id <= task_id < job_id + count),
  // with its journal and taken positions.
  virtual Result<std::optional<model::ArrayTail>> GetTailCovering(int64_t task_id) = 0;
  // Tails with untouched tasks left (finished ones too: a cancelled tail's tasks ended).
  virtual Result<std::vector<model::ArrayTail>> ListTails(const TaskFilter& filter) = 0;
};

enum class Durability { kFull, kNormal };

// Opens (creating if needed) the SQLite database at path, in WAL mode, and migrates it.
// A foreign or corrupted file is refused with a message naming the path.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               Durability durability = Durability::kFull);

}  // namespace gantry::store
