// The agent protocol: reports in, assignments and kill orders out.
#include "base/log.h"
#include "base/strings.h"
#include "broker/broker.h"
#include "broker/matching.h"

namespace gantry::broker {

using model::Attempt;
using model::AttemptState;
using model::Task;
using model::TaskState;

namespace {
constexpr int64_t kLostRunningAllowance = 3;

std::string ExitWords(const AttemptReport& r) {
  if (r.timed_out) return "wall-time limit exceeded";
  if (r.oom_killed) return "memory limit exceeded";
  if (r.signal) return "killed by signal " + std::to_string(r.signal);
  return "exited with status " + std::to_string(r.exit_code);
}
}  // namespace

void Broker::FinishAttempt(Pending& p, const AttemptReport& r, const model::Actor& by) {
  auto it = attempts_.find(r.attempt_id);
  if (it == attempts_.end()) {
    // Already ended (a late or repeated report): applying it twice would corrupt the record.
    LogWarning("ignoring stale report for attempt " + std::to_string(r.attempt_id) + " from " +
               by.source);
    return;
  }
  // An earlier report in the same poll may have edited it (started, then finished).
  Attempt a = p.attempts.count(r.attempt_id) ? p.attempts.at(r.attempt_id) : it->second;
  auto task_it = active_.find(a.task_id);
  if (task_it == active_.end() || task_it->second.task.current_attempt != a.id) {
    LogWarning("ignoring report for attempt " + std::to_string(a.id) + ": no longer current");
    return;
  }
  Task& t = Edit(p, a.task_id);
  TimeMicros now = r.time ? r.time : clock_.Now();
  if (r.type == AttemptReport::Type::kStarted) {
    if (a.state != AttemptState::kScheduled) return;
    a.state = AttemptState::kRunning;
    a.start_time = now;
    a.stdout_path = r.stdout_path;
    a.stderr_path = r.stderr_path;
    p.batch.attempts.push_back(a);
    p.attempts[a.id] = a;  // later reports in the same poll see it running (memory follows
                           // only once the batch is durable)
    t.start_time = now;
    Transition(p, t, TaskState::kRunning, "state",
               "attempt " + std::to_string(a.number) + " started on " + a.agent, by);
    return;
  }
  if (r.type == AttemptReport::Type::kWithdrawn) {
    if (a.state != AttemptState::kScheduled) return;  // it had started: not withdrawn
    auto w = withdrawals_.find(a.id);
    bool hold = w != withdrawals_.end() && w->second.purpose == Withdrawal::Purpose::kHold;
    a.state = AttemptState::kEnded;
    a.end_time = now;
    a.reason = "taken back unstarted from the queue of agent " + a.agent +
               (hold ? " to be held" : ": a job of higher priority waits for its cores");
    p.batch.attempts.push_back(a);
    t.current_attempt = 0;
    if (t.cancel_requested) {
      t.end_time = now;
      Transition(p, t, TaskState::kCancelled, "state", "cancelled; " + a.reason, by);
    } else if (hold) {
      Transition(p, t, TaskState::kHeld, "state", "held by " + w->second.by + " (" + a.reason + ")",
                 w->second.actor);
    } else {
      Transition(p, t, TaskState::kReady, "state", a.reason + "; requeued (it had not started)",
                 by);
    }
    return;
  }
  if (r.type == AttemptReport::Type::kFinished && t.state == TaskState::kScheduled) {
    // It ran, but its start was not reported (it ended first): record the start first, at
    // the time the agent says it started.
    TimeMicros started = r.start_time > 0 && r.start_time <= now ? r.start_time : now;
    a.start_time = started;
    t.start_time = started;
    Transition(p, t, TaskState::kRunning, "state",
               "attempt " + std::to_string(a.number) + " started on " + a.agent, by);
  }
  a.state = AttemptState::kEnded;
  a.end_time = now;
  a.exit_code = r.exit_code;
  a.signal = r.signal;
  a.usage = r.usage;
  if (!r.stdout_path.empty()) a.stdout_path = r.stdout_path;
  if (!r.stderr_path.empty()) a.stderr_path = r.stderr_path;
  t.current_attempt = 0;
  t.end_time = now;
  t.exit_code = r.exit_code;
  t.signal = r.signal;
  if (r.type == AttemptReport::Type::kFailedToStart) {
    a.reason = "could not start: " + r.reason;
    p.batch.attempts.push_back(a);
    Transition(p, t, t.cancel_requested ? TaskState::kCancelled : TaskState::kFailed, "state",
               a.reason, by);
    return;
  }
  a.reason = r.reason.empty() ? ExitWords(r) : r.reason;
  p.batch.attempts.push_back(a);
  bool ok = r.exit_code == 0 && r.signal == 0 && !r.timed_out && !r.oom_killed;
  std::string words = "attempt " + std::to_string(a.number) + " " + a.reason;
  if (t.cancel_requested) {
    Transition(p, t, TaskState::kCancelled, "state", "cancelled; " + words, by);
  } else if (ok) {
    Transition(p, t, TaskState::kDone, "state", words, by);
  } else if (!r.timed_out && !r.oom_killed && t.deep_retries < task_it->second.job->spec.max_retries) {
    t.deep_retries++;
    Transition(p, t, TaskState::kReady, "state",
               words + "; retrying (" + std::to_string(t.deep_retries) + " of " +
                   std::to_string(task_it->second.job->spec.max_retries) + ")",
               by);
  } else {
    Transition(p, t, TaskState::kFailed, "state", words, by);
  }
}

std::vector<int64_t> Broker::AttemptsOn(const std::string& agent_id) const {
  std::vector<int64_t> ids;
  for (const auto& [id, a] : attempts_) {
    if (a.agent == agent_id) ids.push_back(id);
  }
  return ids;
}

void Broker::LoseAttempt(Pending& p, int64_t attempt_id, const std::string& why) {
  auto it = attempts_.find(attempt_id);
  if (it == attempts_.end()) return;
  Attempt a = it->second;
  a.state = AttemptState::kEnded;
  a.end_time = clock_.Now();
  a.reason = why;
  p.batch.attempts.push_back(a);
  auto task_it = active_.find(a.task_id);
  if (task_it == active_.end() || task_it->second.task.current_attempt != a.id) return;
  Task& t = Edit(p, a.task_id);
  bool started = t.state == TaskState::kRunning;
  t.current_attempt = 0;
  if (t.cancel_requested) {
    t.end_time = a.end_time;
    Transition(p, t, TaskState::kCancelled, "state", "cancelled; " + why, Server());
  } else if (!started && withdrawals_.count(a.id) &&
             withdrawals_.at(a.id).purpose == Withdrawal::Purpose::kHold) {
    // Lost while a hold was taking it back: it never ran, and it stays held.
    Transition(p, t, TaskState::kHeld, "state",
               "held by " + withdrawals_.at(a.id).by + " (" + why + ")", Server());
  } else if (!started) {
    // Shallow resubmission: it never ran, so no retry is spent.
    Transition(p, t, TaskState::kReady, "state", why + "; requeued (it had not started)",
               Server());
  } else if (t.deep_retries < task_it->second.job->spec.max_retries + kLostRunningAllowance) {
    // It had started: a deep retry. Infrastructure failed, not the job, so it is requeued
    // beyond MaxRetries, up to an allowance that stops a job that kills its node.
    t.deep_retries++;
    Transition(p, t, TaskState::kReady, "state",
               why + "; requeued as a deep retry (it had started)", Server());
  } else {
    t.end_time = a.end_time;
    Transition(p, t, TaskState::kFailed, "state", why, Server());
  }
}

// Pending work starts in priority order (nice, then submission: SLURM's rule): the walk
// stops at the first job that could run on this agent but does not fit its free cores (or,
// for an array task, its queue), so nothing behind that job takes this agent's cores first,
// and queued array tasks behind it are taken back. A job that can never run here (too big,
// its Requirements, a fence, its array's limit) does not hold the others back.
void Broker::Assign(Pending& p, const std::string& agent_id, const AgentStatus& status,
                    PollResponse& out) {
  if (Drained(agent_id)) return;  // it finishes what it runs and gets nothing new
  std::map<int64_t, int64_t> assigned;  // per job, in this call
  int64_t free_cpus = status.free_cpus, free_memory_mb = status.free_memory_mb;
  int64_t free_gpus = status.free_gpus;
  int64_t queue_cpus = status.queue_cpus, queue_memory_mb = status.queue_memory_mb;
  // Only array tasks wait in an agent's queue: a single job waits in ours, where a job
  // submitted later with a better priority can still overtake it.
  // Also with no room left: the first job that would run here is found, and what waits in
  // the agent's queue behind it is taken back.
  for (auto it = ready_.begin(); it != ready_.end();) {
    auto [nice, job_id, task_id] = *it;
    const std::shared_ptr<const model::Job>& job = jobs_.at(job_id);
    const model::JobSpec& spec = job->spec;
    auto at_limit = [&] {
      return spec.array && spec.array->max_concurrent > 0 &&
             running_per_job_[job_id] + assigned[job_id] >= spec.array->max_concurrent;
    };
    if (at_limit()) {
      // Skip the rest of this array: its limit is reached.
      it = ready_.lower_bound(std::make_tuple(nice, job_id + 1, int64_t{0}));
      continue;
    }
    // An exclusive job holds the whole agent: it fits only when nothing else runs there.
    const bool exclusive = spec.exclusive;
    int64_t cpus = exclusive ? status.total_cpus : spec.TotalCpus();
    int64_t memory_mb = exclusive ? status.total_memory_mb : spec.memory_mb;
    int64_t gpus = exclusive ? status.total_gpus : spec.gpus;
    // GPUs are whole devices the agent must have free at the start: no queueing for them.
    bool queueable = spec.array.has_value() && gpus == 0 && !exclusive;
    auto fits = [&] {
      if (gpus > free_gpus) return false;
      if (cpus <= free_cpus && memory_mb <= free_memory_mb) return true;
      return queueable && cpus <= free_cpus + queue_cpus &&
             memory_mb <= free_memory_mb + queue_memory_mb;
    };
    // Free cores first, then the queue.
    auto take = [&] {
      int64_t from_free = std::min(cpus, free_cpus);
      int64_t memory_from_free = std::min(memory_mb, free_memory_mb);
      free_cpus -= from_free;
      free_memory_mb -= memory_from_free;
      free_gpus -= gpus;
      queue_cpus -= cpus - from_free;
      queue_memory_mb -= memory_mb - memory_from_free;
    };
    bool never_here = spec.TotalCpus() > status.total_cpus ||
                      spec.memory_mb > status.total_memory_mb || spec.gpus > status.total_gpus;
    if (never_here || Fenced(task_id) || !MatchesHere(*job, agent_id)) {
      ++it;
      continue;
    }
    if (!fits()) {
      // It waits for this agent's cores: work of lower priority must not take them first.
      WithdrawBehind(agent_id, *it);
      break;
    }
    ++it;  // ready_ changes only at the commit: the iterator stays valid
    if (active_.count(task_id)) {
      Start(p, task_id, job, agent_id, out);
      ++assigned[job_id];
      take();
    } else {
      // The head of an array's tail: its untouched tasks go in order while they fit.
      const model::ArrayTail& tail = EditTail(p, job_id);
      for (auto next = tail.NextPristine(); next && fits() && !at_limit();
           next = tail.NextPristine()) {
        Start(p, job_id + *next, job, agent_id, out);
        ++assigned[job_id];
        take();
      }
    }
  }
}

std::tuple<int64_t, int64_t, int64_t> Broker::ReadyKey(int64_t task_id,
                                                       const model::Job& job) const {
  return {job.spec.nice, job.id, task_id};
}

void Broker::WithdrawBehind(const std::string& agent_id,
                            const std::tuple<int64_t, int64_t, int64_t>& key) {
  for (const auto& [id, a] : attempts_) {
    if (a.agent != agent_id || a.state != AttemptState::kScheduled || withdrawals_.count(id)) {
      continue;
    }
    auto task = active_.find(a.task_id);
    if (task == active_.end() || !task->second.job->spec.array) continue;  // only arrays queue
    if (ReadyKey(a.task_id, *task->second.job) < key) continue;
    AskWithdraw(a, Withdrawal{});
  }
}

void Broker::AskWithdraw(const model::Attempt& attempt, Withdrawal w) {
  auto [it, fresh] = withdrawals_.try_emplace(attempt.id, w);
  if (!fresh && w.purpose == Withdrawal::Purpose::kHold) {
    it->second.purpose = w.purpose;
    it->second.by = w.by;
    it->second.actor = w.actor;
  }
  it->second.awaited = it->second.awaited || w.awaited;
  agents_[attempt.agent].withdraw_orders.insert(attempt.id);
  cv_.notify_all();  // the agent's long-poll brings the order
}

void Broker::ResolveWithdrawals(const std::vector<AttemptReport>& reports,
                                const std::vector<model::Attempt>& ended) {
  bool resolved = false;
  auto resolve = [&](int64_t attempt_id, Withdrawal::Outcome outcome) {
    auto it = withdrawals_.find(attempt_id);
    if (it == withdrawals_.end() || it->second.outcome != Withdrawal::Outcome::kPending) return;
    it->second.outcome = outcome;
    resolved = true;
    if (!it->second.awaited) withdrawals_.erase(it);
  };
  for (const AttemptReport& r : reports) {
    resolve(r.attempt_id, r.type == AttemptReport::Type::kWithdrawn
                              ? Withdrawal::Outcome::kWithdrawn
                              : Withdrawal::Outcome::kStarted);
  }
  // Lost with its agent: one that had not started was held or requeued all the same.
  for (const model::Attempt& a : ended) {
    if (a.state != AttemptState::kEnded) continue;
    resolve(a.id, a.start_time == 0 ? Withdrawal::Outcome::kWithdrawn
                                    : Withdrawal::Outcome::kStarted);
  }
  if (resolved) cv_.notify_all();
}

void Broker::Start(Pending& p, int64_t task_id, const std::shared_ptr<const model::Job>& job,
                   const std::string& agent_id, PollResponse& out) {
  const model::JobSpec& spec = job->spec;
  Task& t = Edit(p, task_id);
  Attempt a;
  a.id = next_attempt_id_++;
  a.task_id = t.id;
  a.number = ++t.attempts;
  a.agent = agent_id;
  a.state = AttemptState::kScheduled;
  a.scheduled_time = clock_.Now();
  t.current_attempt = a.id;
  p.batch.attempts.push_back(a);
  Transition(p, t, TaskState::kScheduled, "state", "sent to agent " + agent_id, Server());
  out.assignments.push_back(
      {a, t, job, spec.array ? static_cast<int64_t>(spec.array->task_ids.size()) : 0});
}

Result<PollResponse> Broker::Poll(const PollRequest& req, const model::Identity* credential) {
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  model::Actor by = model::Actor::System("agent:" + req.agent_id);
  if (credential) {
    by.subject = credential->subject;
    by.issuer = credential->issuer;
    by.vo = credential->vo;
  }
  AgentRecord& agent = agents_[req.agent_id];
  GANTRY_RETURN_IF_ERROR(Register(req, agent));
  if (!agent.ad || req.status.ad != agent.status.ad) {
    GANTRY_ASSIGN_OR_RETURN(classad::ClassAd ad, ParseAgentAd(req.status.ad));
    auto partitions = partitions_.OfAgent(ad);
    if (!partitions) return Fail(partitions.error().Wrap("agent " + req.agent_id));
    CompleteAgentAd(ad, *partitions);
    agent.partitions = std::move(*partitions);
    agent.ad_constrains = ad.Lookup("Requirements") || ad.Lookup("START") || ad.Lookup("Rank");
    agent.ad = std::make_shared<const classad::ClassAd>(std::move(ad));
  }
  agent.status = req.status;
  agent.last_seen = clock_.Now();  // a request is proof of life; an answer sent is not
  agent.lost = false;
  // A pending wake is not cleared here: it may be for a report made after this request was
  // built (the agent wakes whatever poll is in flight). This poll then returns at once and
  // the next one carries the report; clearing it would leave that report waiting out a
  // whole long-poll.

  Pending p;
  std::set<int64_t> reported;
  for (const AttemptReport& r : req.reports) {
    FinishAttempt(p, r, by);
    reported.insert(r.attempt_id);
  }
  // Attempts this agent should have but does not know: lost (e.g. the agent restarted).
  std::set<int64_t> running(req.running_attempts.begin(), req.running_attempts.end());
  for (int64_t id : AttemptsOn(req.agent_id)) {
    if (!running.count(id) && !reported.count(id)) {
      LoseAttempt(p, id, "agent " + req.agent_id + " no longer knows attempt " + std::to_string(id));
    }
  }
  PollResponse out;
  const int64_t generation = agents_[req.agent_id].generation;
  // Group commit: the reports, what they release (dependants, requeued tasks, lifted fences)
  // and the new work they make room for are decided at once on the decided state, and go
  // out in one transaction (one fsync, shared with whatever other callers staged).
  Stage(p);
  // Zombies of this agent that it no longer lists (or reported ended) are gone: their tasks
  // may run again.
  for (auto it = zombies_.begin(); it != zombies_.end();) {
    bool gone = it->second.agent == req.agent_id &&
                (!running.count(it->first) || reported.count(it->first));
    it = gone ? zombies_.erase(it) : std::next(it);
  }
  // Attempts the agent still runs but the server has written off (the agent was declared
  // lost and its work requeued): they must stop, or one job would run twice.
  for (int64_t id : req.running_attempts) {
    auto it = attempts_.find(id);
    if (!reported.count(id) && (it == attempts_.end() || it->second.agent != req.agent_id)) {
      agents_[req.agent_id].kill_orders.insert(id);
    }
  }
  Pending again;
  ReevaluateWaiting(again);
  Stage(again);
  Pending first;
  Assign(first, req.agent_id, req.status, out);
  Stage(first);
  GANTRY_RETURN_IF_ERROR(AwaitDurable(lock, Flush()));
  if (!withdrawals_.empty()) ResolveWithdrawals(req.reports, p.batch.attempts);
  // A live agent must poll again well before the agent timeout, or a Tick would write its
  // attempts off while its poll merely waits.
  int64_t max_wait_ms = std::min(
      req.max_wait_ms, std::max<int64_t>(options_.agent_timeout_seconds * 1000 / 3, 200));
  TimeMicros deadline = clock_.MonotonicNow() + max_wait_ms * kMicrosPerMilli;
  while (true) {
    if (agents_[req.agent_id].generation != generation) return EmptyHanded(req);  // it left
    Pending assign;
    if (out.assignments.empty()) Assign(assign, req.agent_id, req.status, out);
    if (!assign.batch.empty() || !assign.tasks.empty() || !assign.tails.empty()) {
      GANTRY_RETURN_IF_ERROR(CommitLocked(assign, lock));
      if (agents_[req.agent_id].generation != generation) return EmptyHanded(req);
    }
    AgentRecord& self = agents_[req.agent_id];
    out.kill_attempts.assign(self.kill_orders.begin(), self.kill_orders.end());
    self.kill_orders.clear();
    out.withdraw_attempts.assign(self.withdraw_orders.begin(), self.withdraw_orders.end());
    self.withdraw_orders.clear();
    if (!out.assignments.empty() || !out.kill_attempts.empty() ||
        !out.withdraw_attempts.empty() || shutdown_ || self.wake) {
      break;
    }
    ++waiting_polls_;
    bool timed_out = clock_.WaitUntil(cv_, lock, deadline) == std::cv_status::timeout;
    --waiting_polls_;
    if (timed_out) {
      if (agents_[req.agent_id].generation != generation) return EmptyHanded(req);
      Pending last;
      Assign(last, req.agent_id, req.status, out);
      if (!out.assignments.empty()) GANTRY_RETURN_IF_ERROR(CommitLocked(last, lock));
      break;
    }
  }
  agents_[req.agent_id].wake = false;
  out.instance = agents_[req.agent_id].instance;
  return out;
}

PollResponse Broker::EmptyHanded(const PollRequest& req) {
  PollResponse out;
  out.instance = agents_[req.agent_id].instance;
  return out;
}

Status Broker::Register(const PollRequest& req, AgentRecord& agent) {
  if (agent.instance != 0 && req.instance == agent.instance) {
    agent.confirmed = true;
    return {};
  }
  // A record without an instance was made by a restart (Load) or is new: the poll claims it.
  // One held by another instance passes on only once that agent left or was lost. An
  // instance whose answer never arrived (a failed commit) is not held: its agent asks again.
  bool held = agent.instance != 0 && agent.confirmed && agent.last_seen != 0 && !agent.lost &&
              AgentLive(agent);
  if (held) {
    int64_t ago = (clock_.Now() - agent.last_seen) / kMicrosPerSecond;
    return Fail(AlreadyExists(
        "agent name '" + req.agent_id + "' is taken by a live agent on " +
        agent.status.hostname + " (its last poll " + std::to_string(ago) +
        " s ago): give this agent another name (gantry agent --name), or stop the other one"));
  }
  agent.confirmed = req.instance != 0;
  if (req.instance != 0) {
    agent.instance = req.instance;  // the server restarted, or the name's holder is gone
    last_instance_ = std::max(last_instance_, req.instance);
  } else {
    agent.instance = last_instance_ = std::max(last_instance_ + 1, clock_.Now());
  }
  return {};
}

Status Broker::Leave(const std::string& agent_id, int64_t instance) {
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  auto agent = agents_.find(agent_id);
  if (agent == agents_.end()) return {};
  if (instance != 0 && agent->second.instance != 0 && instance != agent->second.instance) {
    return {};  // it no longer holds the name: what runs there is another agent's
  }
  Pending p;
  for (int64_t id : AttemptsOn(agent_id)) LoseAttempt(p, id, "agent " + agent_id + " shut down");
  Stage(p);
  agent->second.last_seen = 0;  // not live: no longer counted for "why"
  agent->second.generation++;   // a poll still waiting for it must not take work
  agent->second.kill_orders.clear();
  agent->second.withdraw_orders.clear();
  DropZombies(agent_id);
  cv_.notify_all();
  GANTRY_RETURN_IF_ERROR(AwaitDurable(lock, Flush()));
  ResolveWithdrawals({}, p.batch.attempts);
  return {};
}

bool Broker::Fenced(int64_t task_id) const {
  for (const auto& [attempt_id, z] : zombies_) {
    if (z.task_id != task_id) continue;
    // Only once its agent is back (and still lists it) is a zombie known to run.
    auto agent = agents_.find(z.agent);
    if (agent != agents_.end() && !agent->second.lost) return true;
  }
  return false;
}

void Broker::DropZombies(const std::string& agent_id) {
  std::erase_if(zombies_, [&](const auto& entry) { return entry.second.agent == agent_id; });
}

int64_t Broker::WaitingPollsForTest() {
  std::lock_guard lock(mu_);
  return waiting_polls_;
}

void Broker::Wake(const std::string& agent_id) {
  std::lock_guard lock(mu_);
  agents_[agent_id].wake = true;
  cv_.notify_all();
}

void Broker::Tick() {
  std::unique_lock lock(mu_);
  if (auto recovered = Recovered(); !recovered) {
    LogError("timers not run: " + recovered.error().message());
    return;
  }
  Pending p;
  TimeMicros now = clock_.Now();
  deps_.Tick(now);
  for (auto& [id, agent] : agents_) {
    if (now - agent.last_seen < options_.agent_timeout_seconds * kMicrosPerSecond) continue;
    if (!agent.lost) {
      // A poll of it still in flight (its answer would go to a dead or frozen agent) must
      // not take work: the tasks it would get are exactly the ones requeued here.
      agent.lost = true;
      agent.generation++;
      cv_.notify_all();
    }
    for (int64_t attempt_id : AttemptsOn(id)) {
      LoseAttempt(p, attempt_id, "agent " + id + " lost (silent for more than " +
                                     std::to_string(options_.agent_timeout_seconds) + " s)");
    }
  }
  ReevaluateWaiting(p);
  std::vector<Attempt> written_off;
  for (const Attempt& a : p.batch.attempts) {
    if (a.state == model::AttemptState::kEnded && agents_[a.agent].lost) written_off.push_back(a);
  }
  auto committed = CommitLocked(p, lock);
  if (!committed) {
    LogError("timer transitions not written: " + committed.error().message());
    return;
  }
  ResolveWithdrawals({}, p.batch.attempts);
  // They may still run (a partition, a frozen agent): remembered, so that if the agent comes
  // back still running one, its task waits for the kill before it runs again.
  for (const Attempt& a : written_off) zombies_[a.id] = Zombie{a.agent, a.task_id};
}

}  // namespace gantry::broker
