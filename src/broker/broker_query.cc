// Read-only questions: the queue, one job's status and journal, waiting for the end.
#include <algorithm>
#include <set>

#include "base/strings.h"
#include "broker/broker.h"
#include "broker/matching.h"

namespace gantry::broker {

using model::Task;
using model::TaskState;

TaskSummary Broker::Summarize(const Task& t, const model::Job& job) {
  TaskSummary s;
  s.task = t;
  s.name = job.spec.name;
  s.owner = job.owner.name;
  s.partition = job.spec.partition.empty() ? "local" : job.spec.partition;
  s.cpus = job.spec.TotalCpus();
  s.array_task_count = job.spec.array ? static_cast<int64_t>(job.spec.array->task_ids.size()) : 0;
  s.submit_time = job.submit_time;
  s.time_limit_seconds = job.spec.time_limit_seconds;
  if (t.array_index) s.indexes = std::to_string(*t.array_index);
  return s;
}

TaskSummary Broker::SummarizeTail(const model::ArrayTail& tail, const model::Job& job) {
  TaskSummary s = Summarize(tail.TaskAt(*tail.NextPristine(), job.spec.array->task_ids), job);
  s.count = tail.Pristine();
  s.indexes = model::PristineIndexText(tail, job.spec.array->task_ids);
  return s;
}

std::vector<TaskSummary> Broker::SummarizeSelection(const Selection& s, const model::Job& job) {
  std::vector<TaskSummary> out;
  out.reserve(s.tasks.size() + 1);
  for (const Task& t : s.tasks) out.push_back(Summarize(t, job));
  if (s.tail) out.push_back(SummarizeTail(*s.tail, job));
  return out;
}

std::string Broker::Why(const Task& t, const model::Job& job) {
  switch (t.state) {
    case TaskState::kRunning:
    case TaskState::kDone:
    case TaskState::kFailed:
    case TaskState::kCancelled: return "";
    case TaskState::kScheduled: return "sent to an agent, starting";
    case TaskState::kHeld: return t.reason + "; run 'gantry release " + std::to_string(job.id) + "'";
    case TaskState::kWaiting:
    case TaskState::kSubmitted: return t.reason;
    case TaskState::kReady: break;
  }
  const model::JobSpec& spec = job.spec;
  if (spec.array && spec.array->max_concurrent > 0 &&
      running_per_job_[job.id] >= spec.array->max_concurrent) {
    return "JobArrayTaskLimit: " + std::to_string(spec.array->max_concurrent) +
           " tasks of this array already running (%" + std::to_string(spec.array->max_concurrent) +
           ")";
  }
  int64_t cpus = spec.TotalCpus();
  int64_t live = 0, drained = 0, max_cpus = 0, max_memory = 0, max_gpus = 0, matching = 0;
  std::string mismatches;
  auto job_ad = JobAd(job);
  for (const auto& [id, agent] : agents_) {
    if (!AgentLive(agent)) continue;
    if (Drained(id)) {
      ++drained;
      continue;
    }
    ++live;
    max_cpus = std::max(max_cpus, agent.status.total_cpus);
    max_memory = std::max(max_memory, agent.status.total_memory_mb);
    max_gpus = std::max(max_gpus, agent.status.total_gpus);
    bool constrained =
        HasMatchConstraints(spec) || agent.ad_constrains || !InPartition(agent, job);
    if (!constrained) {
      ++matching;
      continue;
    }
    std::string why = job_ad && agent.ad ? ExplainNoMatch(*job_ad, *agent.ad, id) : "";
    if (why.empty()) {
      ++matching;
    } else {
      mismatches += (mismatches.empty() ? "" : "; ") + why;
    }
  }
  if (live == 0 && drained > 0) {
    return "Drained: every connected agent (" + std::to_string(drained) +
           ") is drained and takes no new work; see 'gantry agents'";
  }
  if (live == 0) return "no agent is connected to run it";
  if (matching == 0) return "no agent matches: " + mismatches;
  if (cpus > max_cpus) {
    return "Resources: needs " + std::to_string(cpus) + " CPUs, but the largest agent has " +
           std::to_string(max_cpus) + "; it will not start until a larger agent joins";
  }
  if (spec.memory_mb > max_memory) {
    return "Resources: needs " + std::to_string(spec.memory_mb) + " MB of memory, but the "
           "largest agent has " + std::to_string(max_memory) + " MB";
  }
  if (spec.gpus > max_gpus) {
    return "Resources: needs " + std::to_string(spec.gpus) + " GPU(s), but " +
           (max_gpus == 0 ? std::string("no agent has any")
                          : "the agent with the most has " + std::to_string(max_gpus)) +
           "; it will not start until an agent with more GPUs joins";
  }
  int64_t ahead = 0;
  for (const auto& key : ready_) {
    if (std::get<2>(key) == t.id) break;
    ++ahead;
  }
  if (spec.exclusive) {
    return "Resources: waiting for a whole agent to be free (--exclusive); " +
           std::to_string(ahead) + " job(s) ahead in the queue";
  }
  return "Resources: waiting for " + std::to_string(cpus) + " free CPU(s)" +
         (spec.gpus ? ", " + std::to_string(spec.gpus) + " GPU(s)" : std::string()) +
         (spec.memory_mb ? " and " + std::to_string(spec.memory_mb) + " MB" : std::string()) +
         "; " + std::to_string(ahead) + " job(s) ahead in the queue";
}

namespace {

// Rows sort newest first by key: 2 * id for a task, 2 * id + 1 for the row of an array's
// untouched tasks, at its first (whose id no task row has), so every row has its own key and
// a page cursor (the last key given) never splits or repeats one.
int64_t TaskKey(const Task& t) { return 2 * t.id; }
int64_t TailKey(const model::ArrayTail& tail) { return 2 * (tail.job_id + tail.next) + 1; }

bool SelectedByJobs(const QueueFilter& f, const Task& t) {
  if (f.jobs.empty()) return true;
  return std::any_of(f.jobs.begin(), f.jobs.end(),
                     [&](const model::JobSelector& s) { return s.Selects(t); });
}

// Every filter but the job selectors.
bool KeepState(const QueueFilter& f, const Task& t, const model::Job& job) {
  if (!f.states.empty() && std::find(f.states.begin(), f.states.end(), t.state) == f.states.end()) {
    return false;
  }
  if (f.user && job.owner.name != *f.user) return false;
  if (f.name && job.spec.name != *f.name) return false;
  return true;
}

}  // namespace

struct Broker::QueueRow {
  int64_t key = 0;
  TaskSummary summary;
  bool whole_tail = false;  // the row of a tail's untouched tasks
};

void Broker::TailRows(const model::ArrayTail& tail, const model::Job& job, const QueueFilter& f,
                      int64_t before, std::vector<QueueRow>& out) {
  const std::vector<int64_t>& ids = job.spec.array->task_ids;
  std::optional<int64_t> first = tail.NextPristine();
  if (!first || !KeepState(f, tail.TaskAt(*first, ids), job)) return;
  bool whole = f.jobs.empty() ||
               std::any_of(f.jobs.begin(), f.jobs.end(), [&](const model::JobSelector& s) {
                 return !s.HasIndexes() && s.id == tail.job_id;
               });
  if (whole) {
    if (TailKey(tail) < before) out.push_back({TailKey(tail), SummarizeTail(tail, job), true});
    return;
  }
  // Some of its tasks, by their own ids or by array index: one row each (q folds them again).
  std::set<int64_t> positions;
  for (const model::JobSelector& s : f.jobs) {
    if (!s.HasIndexes() && tail.Contains(s.id - tail.job_id)) positions.insert(s.id - tail.job_id);
    if (!s.HasIndexes() || s.id != tail.job_id) continue;
    for (std::optional<int64_t> p = first; p; p = tail.NextPristine(*p + 1)) {
      if (s.HasIndex(ids[static_cast<size_t>(*p)])) positions.insert(*p);
    }
  }
  for (int64_t p : positions) {
    Task t = tail.TaskAt(p, ids);
    if (TaskKey(t) < before) out.push_back({TaskKey(t), Summarize(t, job), false});
  }
}

Result<QueuePage> Broker::Queue(const model::Identity& caller, const QueueFilter& f) {
  int64_t before = f.cursor.value_or(INT64_MAX);
  std::vector<QueueRow> rows;
  {
    std::lock_guard lock(mu_);
    GANTRY_RETURN_IF_ERROR(Recovered());
    // The durable view: what transactions not yet durable changed is shown as it was.
    auto task_row = [&](const Task& t, const model::Job& job) {
      if (TaskKey(t) < before && Visible(caller, t.owner_uid, job.vo) && KeepState(f, t, job) &&
          SelectedByJobs(f, t)) {
        rows.push_back({TaskKey(t), Summarize(t, job), false});
      }
    };
    for (const auto& [id, active] : active_) {
      if (!undurable_.count(id)) task_row(active.task, *active.job);
    }
    for (const auto& [id, u] : undurable_) {
      if (u.durable && !model::IsTerminal(u.durable->state) && u.job) task_row(*u.durable, *u.job);
    }
    for (const auto& [job_id, tail] : tails_) {
      if (undurable_tails_.count(job_id)) continue;
      const model::Job& job = *jobs_.at(job_id);
      if (Visible(caller, tail.owner_uid, job.vo)) TailRows(tail, job, f, before, rows);
    }
    for (const auto& [job_id, u] : undurable_tails_) {
      if (!u.durable || u.durable->Finished() || !u.job) continue;
      if (Visible(caller, u.durable->owner_uid, u.job->vo)) {
        TailRows(*u.durable, *u.job, f, before, rows);
      }
    }
  }
  if (f.include_finished) {
    // Finished work lives only in the store, which answers without the broker's lock. A row
    // that finished since the memory rows were taken comes from both: the store's is newer.
    std::vector<QueueRow> finished;
    std::map<int64_t, std::shared_ptr<const model::Job>> jobs;
    auto job_of = [&](int64_t id) -> Result<std::shared_ptr<const model::Job>> {
      auto& job = jobs[id];
      if (!job) {
        GANTRY_ASSIGN_OR_RETURN(std::optional<model::Job> stored, store_.GetJob(id));
        if (!stored) return Fail(Internal("job " + std::to_string(id) + " has tasks but no row"));
        job = std::make_shared<const model::Job>(std::move(*stored));
      }
      return job;
    };
    store::HistoryQuery q;
    if (!caller.grants.admin) q.owner_uid = caller.uid;
    q.owner_name = f.user;
    q.name = f.name;
    q.states = f.states;
    q.jobs = f.jobs;
    q.before_id = before / 2 + before % 2;  // task keys 2 * id below before
    q.limit = f.limit ? *f.limit + 1 : INT64_MAX;
    GANTRY_ASSIGN_OR_RETURN(std::vector<Task> tasks, store_.ListHistory(q));
    if (!caller.grants.admin && !caller.grants.see_vos.empty()) {
      // A see-vo role: its own tasks (above) and its VOs' jobs, each a page of its own.
      q.owner_uid.reset();
      q.vos = caller.grants.see_vos;
      GANTRY_ASSIGN_OR_RETURN(std::vector<Task> of_vos, store_.ListHistory(q));
      tasks.insert(tasks.end(), of_vos.begin(), of_vos.end());
      std::sort(tasks.begin(), tasks.end(),
                [](const Task& a, const Task& b) { return a.id > b.id; });
      tasks.erase(std::unique(tasks.begin(), tasks.end(),
                              [](const Task& a, const Task& b) { return a.id == b.id; }),
                  tasks.end());
    }
    for (const Task& t : tasks) {
      GANTRY_ASSIGN_OR_RETURN(auto job, job_of(t.job_id));
      if (KeepState(f, t, *job) && SelectedByJobs(f, t)) {
        finished.push_back({TaskKey(t), Summarize(t, *job), false});
      }
    }
    // Arrays cancelled with untouched tasks left: few, one row each.
    store::TaskFilter tf;
    tf.include_finished = true;
    if (!caller.grants.admin && caller.grants.see_vos.empty()) tf.owner_uid = caller.uid;
    GANTRY_ASSIGN_OR_RETURN(std::vector<model::ArrayTail> tails, store_.ListTails(tf));
    for (const model::ArrayTail& tail : tails) {
      if (!tail.Finished()) continue;
      GANTRY_ASSIGN_OR_RETURN(auto job, job_of(tail.job_id));
      if (!Visible(caller, tail.owner_uid, job->vo)) continue;
      TailRows(tail, *job, f, before, finished);
    }
    std::set<int64_t> finished_tasks, finished_tails;
    for (const QueueRow& r : finished) {
      (r.whole_tail ? finished_tails : finished_tasks)
          .insert(r.whole_tail ? r.summary.task.job_id : r.summary.task.id);
    }
    std::erase_if(rows, [&](const QueueRow& r) {
      return r.whole_tail ? finished_tails.count(r.summary.task.job_id) > 0
                          : finished_tasks.count(r.summary.task.id) > 0;
    });
    rows.insert(rows.end(), std::make_move_iterator(finished.begin()),
                std::make_move_iterator(finished.end()));
  }
  std::sort(rows.begin(), rows.end(),
            [](const QueueRow& a, const QueueRow& b) { return a.key > b.key; });
  QueuePage page;
  if (f.limit && static_cast<int64_t>(rows.size()) > *f.limit) {
    rows.resize(static_cast<size_t>(*f.limit));
    if (!rows.empty()) page.next_cursor = rows.back().key;
  }
  page.rows.reserve(rows.size());
  for (QueueRow& r : rows) page.rows.push_back(std::move(r.summary));
  return page;
}

Result<std::vector<TaskDetail>> Broker::Describe(const model::Identity& caller,
                                                 const model::TaskRef& ref) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref, View::kDurable));
  GANTRY_ASSIGN_OR_RETURN(std::shared_ptr<const model::Job> job,
                          JobOf(s.tail ? s.tail->job_id : s.tasks[0].job_id));
  std::vector<TaskDetail> out;
  for (TaskSummary& summary : SummarizeSelection(s, *job)) {
    TaskDetail d;
    d.summary = std::move(summary);
    d.job = *job;
    if (d.summary.count == 1) {
      GANTRY_ASSIGN_OR_RETURN(d.attempts, store_.GetAttempts(d.summary.task.id));
    }
    d.why = Why(d.summary.task, *job);
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<JournalEntry>> Broker::Events(const model::Identity& caller,
                                                 const model::TaskRef& ref) {
  Selection s;
  std::string tail_label;
  {
    std::lock_guard lock(mu_);
    GANTRY_RETURN_IF_ERROR(Recovered());
    GANTRY_ASSIGN_OR_RETURN(s, Resolve(caller, ref, View::kDurable));
    if (s.tail) {
      GANTRY_ASSIGN_OR_RETURN(auto job, JobOf(s.tail->job_id));
      tail_label = std::to_string(s.tail->job_id) + "_[" +
                   model::PristineIndexText(*s.tail, job->spec.array->task_ids) + "]";
    }
  }
  std::vector<JournalEntry> out;
  for (const Task& t : s.tasks) {
    GANTRY_ASSIGN_OR_RETURN(std::vector<model::Event> events, store_.GetEvents(t.id));
    if (events.empty()) {
      // An untouched task of a tail: its journal is the tail's.
      GANTRY_ASSIGN_OR_RETURN(auto tail, store_.GetTailCovering(t.id));
      if (tail) events = tail->JournalOf(t.id - tail->job_id);
    }
    for (model::Event& e : events) out.push_back({std::move(e), ""});
  }
  if (s.tail) {
    for (const model::Event& e : s.tail->journal) out.push_back({e, tail_label});
  }
  return out;
}

Result<std::vector<TaskSummary>> Broker::Wait(const model::Identity& caller,
                                              const model::TaskRef& ref,
                                              int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref));
  TimeMicros deadline = clock_.MonotonicNow() + timeout_ms * kMicrosPerMilli;
  // A whole job has ended when it has nothing active: O(1) per wake-up however large it is.
  while (!Ended(s) && !shutdown_) {
    if (clock_.WaitUntil(cv_, lock, deadline) == std::cv_status::timeout) break;
  }
  // The end was decided; the answer shows it once it is durable (if that commit failed,
  // the durable state, as after a timeout).
  (void)AwaitDurable(lock, flushed_seq_);
  GANTRY_ASSIGN_OR_RETURN(s, Resolve(caller, ref, View::kDurable));
  GANTRY_ASSIGN_OR_RETURN(auto job, JobOf(s.tail ? s.tail->job_id : s.tasks[0].job_id));
  return SummarizeSelection(s, *job);
}

}  // namespace gantry::broker
