#include "broker/broker.h"

#include <algorithm>

#include "base/check.h"
#include "base/log.h"
#include "broker/matching.h"

namespace gantry::broker {

using model::Task;
using model::TaskState;

Broker::Broker(store::Store& store, const Clock& clock, BrokerOptions options,
               PartitionSet partitions)
    : store_(store), clock_(clock), options_(std::move(options)),
      partitions_(std::move(partitions)),
      committer_(std::make_unique<store::GroupCommitter>(
          store, [this](const std::vector<store::GroupCommitter::Outcome>& outcomes) {
            Landed(outcomes);
          })) {}

Broker::~Broker() { Shutdown(); }

Result<std::unique_ptr<Broker>> Broker::Create(store::Store& store, const Clock& clock,
                                               BrokerOptions options) {
  GANTRY_ASSIGN_OR_RETURN(PartitionSet partitions, PartitionSet::Create(options.partitions));
  std::unique_ptr<Broker> broker(
      new Broker(store, clock, std::move(options), std::move(partitions)));
  GANTRY_RETURN_IF_ERROR(broker->Load());
  return broker;
}

Status Broker::Load() {
  std::lock_guard lock(mu_);
  return LoadLocked();
}

Status Broker::LoadLocked() {
  GANTRY_ASSIGN_OR_RETURN(store::ActiveState state, store_.LoadActive());
  next_id_ = state.max_id + 1;
  next_attempt_id_ = state.max_attempt_id + 1;
  for (model::Job& job : state.jobs) {
    int64_t id = job.id;
    jobs_[id] = std::make_shared<const model::Job>(std::move(job));
  }
  for (Task& t : state.tasks) {
    auto job = jobs_.find(t.job_id);
    if (job == jobs_.end()) {
      return Fail(Internal("task " + std::to_string(t.id) + " names job " +
                           std::to_string(t.job_id) + ", which is not in the database"));
    }
    active_[t.id] = ActiveTask{t, job->second};
    ++active_per_job_[t.job_id];
    Index(t, true);
  }
  for (model::ArrayTail& tail : state.tails) {
    if (!jobs_.count(tail.job_id)) {
      return Fail(Internal("the tail of array " + std::to_string(tail.job_id) +
                           " has no job in the database"));
    }
    int64_t job_id = tail.job_id;
    tails_[job_id] = std::move(tail);
    ++active_per_job_[job_id];
    IndexTail(tails_[job_id], true);
  }
  for (model::Attempt& a : state.attempts) attempts_[a.id] = a;
  for (store::AgentDrain& d : state.agent_drains) drains_[d.name] = std::move(d);
  deps_.AllDue();  // what changed while the server was down is seen at the first Tick
  // Attempts whose agent does not come back are found lost by Tick after agent_timeout;
  // agents that do come back reconcile them on their first poll.
  TimeMicros now = clock_.Now();
  for (const auto& [id, a] : attempts_) {
    AgentRecord& agent = agents_[a.agent];
    if (agent.last_seen == 0) agent.last_seen = now;
  }
  return {};
}

Task& Broker::Edit(Pending& p, int64_t task_id) {
  auto it = p.tasks.find(task_id);
  if (it != p.tasks.end()) return it->second;
  auto active = active_.find(task_id);
  if (active != active_.end()) return p.tasks.emplace(task_id, active->second.task).first->second;
  // An untouched task of a tail: it becomes a task of its own, journal and all.
  const model::ArrayTail* holding = TailHolding(task_id);
  GANTRY_CHECK(holding != nullptr);
  model::ArrayTail& tail = EditTail(p, holding->job_id);
  int64_t position = task_id - tail.job_id;
  GANTRY_CHECK(tail.Contains(position));
  Task t = tail.TaskAt(position, jobs_.at(tail.job_id)->spec.array->task_ids);
  for (model::Event& e : tail.JournalOf(position)) p.batch.events.push_back(std::move(e));
  tail.Take(position);
  return p.tasks.emplace(task_id, std::move(t)).first->second;
}

model::ArrayTail& Broker::EditTail(Pending& p, int64_t job_id) {
  auto it = p.tails.find(job_id);
  if (it != p.tails.end()) return it->second;
  return p.tails.emplace(job_id, tails_.at(job_id)).first->second;
}

const model::ArrayTail* Broker::TailHolding(int64_t task_id) const {
  auto it = tails_.upper_bound(task_id);
  if (it == tails_.begin()) return nullptr;
  --it;
  return it->second.Contains(task_id - it->first) ? &it->second : nullptr;
}

void Broker::TransitionTail(Pending& p, model::ArrayTail& tail, TaskState to, std::string reason,
                            const model::Actor& by) {
  GANTRY_CHECK(tail.state == to || model::CanTransition(tail.state, to));
  tail.state = to;
  tail.reason = reason;
  model::Event e{0, static_cast<int64_t>(tail.journal.size()) + 1, clock_.Now(), by.source,
                 "state", to, std::move(reason), by.subject, by.issuer, by.vo};
  tail.journal.push_back(e);
  e.task_id = tail.job_id;
  p.batch.tail_events.push_back(std::move(e));
}

bool Broker::Live(int64_t task_id) const {
  return active_.count(task_id) || TailHolding(task_id) != nullptr;
}

bool Broker::Ended(const Selection& s) const {
  if (s.whole_job) return !active_per_job_.count(*s.whole_job);
  for (const Task& t : s.tasks) {
    if (Live(t.id)) return false;
  }
  return true;
}

void Broker::Transition(Pending& p, Task& t, TaskState to, std::string type, std::string reason,
                        const model::Actor& by) {
  GANTRY_CHECK(t.state == to || model::CanTransition(t.state, to));
  t.state = to;
  t.reason = reason;
  t.event_seq++;
  p.batch.events.push_back(
      {t.id, t.event_seq, clock_.Now(), by.source, std::move(type), to, std::move(reason),
       by.subject, by.issuer, by.vo});
}

void Broker::Note(Pending& p, Task& t, std::string type, std::string reason,
                  const model::Actor& by) {
  t.event_seq++;
  p.batch.events.push_back(
      {t.id, t.event_seq, clock_.Now(), by.source, std::move(type), t.state, std::move(reason),
       by.subject, by.issuer, by.vo});
}

void Broker::ForgetJob(int64_t job_id) {
  auto job = jobs_.find(job_id);
  if (job != jobs_.end()) deps_.Finished(job->second->owner.uid, job->second->spec.name);
  active_per_job_.erase(job_id);
  running_per_job_.erase(job_id);
  jobs_.erase(job_id);
  job_ads_.erase(job_id);
}

void Broker::IndexTail(const model::ArrayTail& tail, bool add) {
  std::optional<int64_t> head = tail.NextPristine();
  if (!head) return;
  auto ready_key = std::make_tuple(jobs_.at(tail.job_id)->spec.nice, tail.job_id,
                                   tail.job_id + *head);
  auto tail_key = std::make_tuple(std::get<0>(ready_key), tail.job_id);
  if (add) {
    if (tail.state == TaskState::kReady) {
      ready_.insert(ready_key);
      ready_tails_.insert(tail_key);
    }
    if (tail.state == TaskState::kWaiting && waiting_tails_.insert(tail.job_id).second) {
      deps_.Add(*jobs_.at(tail.job_id));
    }
  } else {
    ready_.erase(ready_key);
    ready_tails_.erase(tail_key);
    if (waiting_tails_.erase(tail.job_id)) deps_.Remove(*jobs_.at(tail.job_id));
  }
}

void Broker::Index(const Task& t, bool add) {
  auto ready_key = std::make_tuple(active_.at(t.id).job->spec.nice, t.job_id, t.id);
  bool running = t.state == TaskState::kScheduled || t.state == TaskState::kRunning;
  if (add) {
    if (t.state == TaskState::kReady) ready_.insert(ready_key);
    if (t.state == TaskState::kWaiting && waiting_.insert(t.id).second) {
      deps_.Add(*active_.at(t.id).job);
    }
    if (running) ++running_per_job_[t.job_id];
  } else {
    ready_.erase(ready_key);
    if (waiting_.erase(t.id)) deps_.Remove(*active_.at(t.id).job);
    if (running) --running_per_job_[t.job_id];
  }
}

bool Broker::Visible(const model::Identity& caller, uint32_t owner_uid,
                     const std::string& owner_vo) {
  if (caller.grants.admin || caller.uid == owner_uid) return true;
  const auto& vos = caller.grants.see_vos;
  return !owner_vo.empty() && std::find(vos.begin(), vos.end(), owner_vo) != vos.end();
}

Result<std::shared_ptr<const model::Job>> Broker::JobOf(int64_t job_id) {
  auto it = jobs_.find(job_id);
  if (it != jobs_.end()) return it->second;
  GANTRY_ASSIGN_OR_RETURN(std::optional<model::Job> job, store_.GetJob(job_id));
  if (!job) return Fail(NotFound("job " + std::to_string(job_id) + " does not exist"));
  return std::make_shared<const model::Job>(std::move(*job));
}

void Broker::Overlay(std::vector<Task>& tasks, int64_t first, int64_t end, View view) const {
  std::map<int64_t, Task> by_id;
  for (Task& t : tasks) {
    int64_t id = t.id;
    by_id.emplace(id, std::move(t));
  }
  // The store's row is durable; memory may be newer. In the durable view, a task changed by
  // a transaction not yet durable keeps the store's row (or, when the store has none yet,
  // the durable value memory kept).
  for (auto it = active_.lower_bound(first); it != active_.end() && it->first < end; ++it) {
    if (view == View::kDurable && undurable_.count(it->first)) continue;
    by_id[it->first] = it->second.task;
  }
  for (auto it = undurable_.lower_bound(first); it != undurable_.end() && it->first < end; ++it) {
    if (view == View::kDecided) {
      by_id[it->first] = it->second.decided;
    } else if (it->second.durable && !by_id.count(it->first)) {
      by_id[it->first] = *it->second.durable;
    }
  }
  tasks.clear();
  for (auto& [id, t] : by_id) tasks.push_back(std::move(t));
}

Result<std::optional<model::ArrayTail>> Broker::TailCovering(int64_t task_id, View view) {
  auto covers = [&](int64_t job_id, const model::ArrayTail& tail) {
    return task_id >= job_id && task_id < job_id + tail.count;
  };
  auto below = [&](const auto& map) {
    auto it = map.upper_bound(task_id);
    return it == map.begin() ? map.end() : std::prev(it);
  };
  if (auto u = below(undurable_tails_); u != undurable_tails_.end()) {
    const model::ArrayTail& decided = u->second.decided;
    if (covers(u->first, decided)) {
      if (view == View::kDecided) return std::optional<model::ArrayTail>(decided);
      if (u->second.durable) return std::optional<model::ArrayTail>(*u->second.durable);
      return store_.GetTailCovering(task_id);  // finished, or not yet durable at all
    }
  }
  if (auto t = below(tails_); t != tails_.end() && covers(t->first, t->second)) {
    return std::optional<model::ArrayTail>(t->second);
  }
  return store_.GetTailCovering(task_id);
}

Result<std::optional<model::Job>> Broker::FindJob(int64_t job_id, View view) {
  if (view == View::kDecided) {
    auto it = jobs_.find(job_id);
    if (it != jobs_.end()) return std::optional<model::Job>(*it->second);
  }
  return store_.GetJob(job_id);
}

Result<Broker::Selection> Broker::Select(const model::TaskRef& ref, View view) {
  Selection s;
  // The common question, about a job that has not ended, is answered from memory.
  if (!ref.array_index) {
    const Task* task = nullptr;
    const model::Job* job = nullptr;
    auto u = undurable_.find(ref.id);
    if (u != undurable_.end()) {
      const Task* seen = view == View::kDecided ? &u->second.decided
                         : u->second.durable    ? &*u->second.durable
                                                : nullptr;
      if (seen && !model::IsTerminal(seen->state)) {
        auto active = active_.find(ref.id);
        task = seen;
        job = active != active_.end() ? active->second.job.get() : u->second.job.get();
      }
    } else if (auto active = active_.find(ref.id); active != active_.end()) {
      task = &active->second.task;
      job = active->second.job.get();
    }
    if (task && job && (!job->spec.array || job->id != ref.id)) {
      if (!job->spec.array) s.whole_job = ref.id;
      s.tasks.push_back(*task);
      s.owner_uid = task->owner_uid;
      return s;
    }
  }
  GANTRY_ASSIGN_OR_RETURN(std::optional<model::Job> job, FindJob(ref.id, view));
  std::optional<model::ArrayTail> tail;
  if (job) {
    GANTRY_ASSIGN_OR_RETURN(s.tasks, store_.GetTasksOfJob(ref.id));
    int64_t count = job->spec.array ? static_cast<int64_t>(job->spec.array->task_ids.size()) : 1;
    Overlay(s.tasks, ref.id, ref.id + count, view);
    if (job->spec.array) {
      GANTRY_ASSIGN_OR_RETURN(tail, TailCovering(ref.id, view));
    }
    if (!ref.array_index) {
      s.whole_job = ref.id;
      if (tail && tail->Pristine() > 0) s.tail = std::move(tail);
    } else {
      std::erase_if(s.tasks, [&](const Task& t) { return t.array_index != ref.array_index; });
      if (s.tasks.empty() && tail) {
        const auto& ids = job->spec.array->task_ids;
        auto at = std::find(ids.begin(), ids.end(), *ref.array_index);
        int64_t position = at - ids.begin();
        if (at != ids.end() && tail->Contains(position)) s.tasks.push_back(tail->TaskAt(position, ids));
      }
      if (s.tasks.empty()) {
        return Fail(NotFound("job " + std::to_string(ref.id) + " has no array task " +
                             std::to_string(*ref.array_index)));
      }
    }
  } else if (!ref.array_index) {
    // An array element named by its own id.
    GANTRY_ASSIGN_OR_RETURN(std::optional<Task> task, store_.GetTask(ref.id));
    std::vector<Task> found;
    if (task) found.push_back(*task);
    Overlay(found, ref.id, ref.id + 1, view);
    if (!found.empty()) {
      s.tasks = std::move(found);
    } else {
      GANTRY_ASSIGN_OR_RETURN(tail, TailCovering(ref.id, view));
      if (tail && tail->Contains(ref.id - tail->job_id)) {
        GANTRY_ASSIGN_OR_RETURN(std::shared_ptr<const model::Job> owner, JobOf(tail->job_id));
        s.tasks.push_back(tail->TaskAt(ref.id - tail->job_id, owner->spec.array->task_ids));
      }
    }
  }
  if (s.tasks.empty() && !s.tail) {
    if (s.whole_job) return Fail(NotFound("job " + ref.ToString() + " has no tasks"));
    return Fail(NotFound("job " + ref.ToString() + " does not exist"));
  }
  s.owner_uid = s.tail ? s.tail->owner_uid : s.tasks[0].owner_uid;
  return s;
}

Result<Broker::Selection> Broker::Resolve(const model::Identity& caller,
                                          const model::TaskRef& ref, View view) {
  GANTRY_ASSIGN_OR_RETURN(Selection s, Select(ref, view));
  if (caller.grants.admin || caller.uid == s.owner_uid) return s;
  int64_t job_id = s.tail ? s.tail->job_id : s.tasks[0].job_id;
  GANTRY_ASSIGN_OR_RETURN(std::shared_ptr<const model::Job> job, JobOf(job_id));
  if (!Visible(caller, s.owner_uid, job->vo)) {
    return Fail(PermissionDenied(
        "job " + ref.ToString() + " belongs to another user: the policy lets only its owner, "
        "an 'admin' rule" + (job->vo.empty() ? "" : " or a 'see-vo' role of VO " + job->vo) +
        " see and steer it (docs/security.md)"));
  }
  return s;
}

std::shared_ptr<const classad::ClassAd> Broker::JobAd(const model::Job& job) {
  auto it = job_ads_.find(job.id);
  if (it != job_ads_.end()) return it->second;
  auto ad = BuildJobAd(job);
  if (!ad) return nullptr;
  auto shared = std::make_shared<const classad::ClassAd>(std::move(*ad));
  job_ads_[job.id] = shared;
  return shared;
}

bool Broker::AgentLive(const AgentRecord& agent) const {
  return clock_.Now() - agent.last_seen <= options_.agent_timeout_seconds * kMicrosPerSecond;
}

bool Broker::InPartition(const AgentRecord& agent, const model::Job& job) const {
  const std::string& wanted =
      job.spec.partition.empty() ? partitions_.default_name() : job.spec.partition;
  return std::find(agent.partitions.begin(), agent.partitions.end(), wanted) !=
         agent.partitions.end();
}

bool Broker::MatchesHere(const model::Job& job, const std::string& agent_id) {
  const AgentRecord& here = agents_[agent_id];
  if (!InPartition(here, job)) return false;
  bool job_constrains = HasMatchConstraints(job.spec);
  if (!job_constrains && !here.ad_constrains) return true;  // the common case: no evaluation
  auto job_ad = JobAd(job);
  if (!job_ad || !here.ad) return false;
  MatchVerdict verdict = MatchJobToAgent(*job_ad, *here.ad);
  if (!verdict.matches) return false;
  if (job.spec.rank.empty()) return true;
  // Pull model: leave the job for a live agent with room that the job ranks higher.
  int64_t cpus = job.spec.TotalCpus();
  for (const auto& [id, other] : agents_) {
    if (id == agent_id || !other.ad || !AgentLive(other) || !InPartition(other, job) ||
        Drained(id))
      continue;
    if (other.status.free_cpus < cpus || other.status.free_memory_mb < job.spec.memory_mb) continue;
    MatchVerdict there = MatchJobToAgent(*job_ad, *other.ad);
    if (there.matches && there.job_rank > verdict.job_rank) return false;
  }
  return true;
}

void Broker::Shutdown() {
  std::lock_guard lock(mu_);
  shutdown_ = true;
  cv_.notify_all();
}

}  // namespace gantry::broker
