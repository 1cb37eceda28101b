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
  s.cpus = job.spec.ntasks * job.spec.cpus_per_task;
  s.array_task_count = job.spec.array ? static_cast<int64_t>(job.spec.array->task_ids.size()) : 0;
  s.submit_time = job.submit_time;
  s.time_limit_seconds = job.spec.time_limit_seconds;
  return s;
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
  int64_t cpus = spec.ntasks * spec.cpus_per_task;
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
  return out;
}

Result<std::vector<TaskDetail>> Broker::Describe(const Caller& caller, const model::TaskRef& ref) {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(std::vector<Task> tasks, Resolve(caller, ref));
  GANTRY_ASSIGN_OR_RETURN(std::shared_ptr<const model::Job> job, JobOf(tasks[0].job_id));
  std::vector<TaskDetail> out;
  for (const Task& t : tasks) {
    TaskDetail d;
    d.summary = Summarize(t, *job);
    d.job = *job;
    GANTRY_ASSIGN_OR_RETURN(d.attempts, store_.GetAttempts(t.id));
    d.why = Why(t, *job);
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<model::Event>> Broker::Events(const Caller& caller, const model::TaskRef& ref) {
  std::vector<Task> tasks;
  {
    std::lock_guard lock(mu_);
    GANTRY_ASSIGN_OR_RETURN(tasks, Resolve(caller, ref));
  }
  std::vector<model::Event> out;
  for (const Task& t : tasks) {
    GANTRY_ASSIGN_OR_RETURN(std::vector<model::Event> events, store_.GetEvents(t.id));
    out.insert(out.end(), events.begin(), events.end());
  }
  return out;
}

Result<std::vector<Task>> Broker::Wait(const Caller& caller, const model::TaskRef& ref,
                                       int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(std::vector<Task> tasks, Resolve(caller, ref));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  // Tasks end roughly in order: each wake-up checks from the first one not yet seen ended,
  // so waiting on a large array costs O(1) per transition, not O(tasks).
  size_t ended = 0;
  while (true) {
    while (ended < tasks.size() && !active_.count(tasks[ended].id)) ++ended;
    if (ended == tasks.size() || shutdown_) break;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  return Resolve(caller, ref);
}

}  // namespace gantry::broker
