// Read-only questions: the queue, one job's status and journal, waiting for the end.
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
  int64_t live = 0, max_cpus = 0, max_memory = 0, matching = 0;
  std::string mismatches;
  auto job_ad = JobAd(job);
  for (const auto& [id, agent] : agents_) {
    if (!AgentLive(agent)) continue;
    ++live;
    max_cpus = std::max(max_cpus, agent.status.total_cpus);
    max_memory = std::max(max_memory, agent.status.total_memory_mb);
    bool constrained = HasMatchConstraints(spec) || agent.ad_constrains;
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
  int64_t ahead = 0;
  for (const auto& key : ready_) {
    if (std::get<2>(key) == t.id) break;
    ++ahead;
  }
  return "Resources: waiting for " + std::to_string(cpus) + " free CPU(s)" +
         (spec.memory_mb ? " and " + std::to_string(spec.memory_mb) + " MB" : std::string()) +
         "; " + std::to_string(ahead) + " job(s) ahead in the queue";
}

Result<std::vector<TaskSummary>> Broker::Queue(const Caller& caller, const QueueFilter& f) {
  std::lock_guard lock(mu_);
  std::vector<TaskSummary> out;
  auto keep = [&](const Task& t, const model::Job& job) {
    if (!Visible(caller, t.owner_uid)) return false;
    if (f.state && t.state != *f.state &&
        !(*f.state == TaskState::kReady &&
          (t.state == TaskState::kWaiting || t.state == TaskState::kHeld))) {
      return false;
    }
    if (f.user && job.owner.name != *f.user) return false;
    if (f.name && job.spec.name != *f.name) return false;
    if (f.job_id && t.job_id != *f.job_id) return false;
    return true;
  };
  if (!f.include_finished) {
    for (const auto& [id, active] : active_) {
      if (keep(active.task, *active.job)) out.push_back(Summarize(active.task, *active.job));
    }
    for (const auto& [job_id, tail] : tails_) {
      const model::Job& job = *jobs_.at(job_id);
      if (keep(tail.TaskAt(*tail.NextPristine(), job.spec.array->task_ids), job)) {
        out.push_back(SummarizeTail(tail, job));
      }
    }
    return out;
  }
  store::TaskFilter sf;
  sf.include_finished = true;
  if (!caller.admin) sf.owner_uid = caller.uid;
  sf.job_id = f.job_id;
  GANTRY_ASSIGN_OR_RETURN(std::vector<Task> tasks, store_.ListTasks(sf));
  std::map<int64_t, std::shared_ptr<const model::Job>> cache;
  for (Task& t : tasks) {
    auto a = active_.find(t.id);
    if (a != active_.end()) t = a->second.task;
    auto& job = cache[t.job_id];
    if (!job) {
      GANTRY_ASSIGN_OR_RETURN(job, JobOf(t.job_id));
    }
    if (keep(t, *job)) out.push_back(Summarize(t, *job));
  }
  GANTRY_ASSIGN_OR_RETURN(std::vector<model::ArrayTail> tails, store_.ListTails(sf));
  for (const model::ArrayTail& tail : tails) {
    GANTRY_ASSIGN_OR_RETURN(auto job, JobOf(tail.job_id));
    if (keep(tail.TaskAt(*tail.NextPristine(), job->spec.array->task_ids), *job)) {
      out.push_back(SummarizeTail(tail, *job));
    }
  }
  return out;
}

Result<std::vector<TaskDetail>> Broker::Describe(const Caller& caller, const model::TaskRef& ref) {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref));
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

Result<std::vector<JournalEntry>> Broker::Events(const Caller& caller,
                                                 const model::TaskRef& ref) {
  Selection s;
  std::string tail_label;
  {
    std::lock_guard lock(mu_);
    GANTRY_ASSIGN_OR_RETURN(s, Resolve(caller, ref));
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

Result<std::vector<TaskSummary>> Broker::Wait(const Caller& caller, const model::TaskRef& ref,
                                              int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  // A whole job has ended when it has nothing active: O(1) per wake-up however large it is.
  while (!Ended(s) && !shutdown_) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  GANTRY_ASSIGN_OR_RETURN(s, Resolve(caller, ref));
  GANTRY_ASSIGN_OR_RETURN(auto job, JobOf(s.tail ? s.tail->job_id : s.tasks[0].job_id));
  return SummarizeSelection(s, *job);
}

}  // namespace gantry::broker
