// Cancel, hold and release.
#include "broker/broker.h"

namespace gantry::broker {

using model::Task;
using model::TaskState;

namespace {
bool OnAgent(TaskState s) { return s == TaskState::kScheduled || s == TaskState::kRunning; }
}  // namespace

Result<int64_t> Broker::Cancel(const model::Identity& caller, const model::TaskRef& ref) {
  const model::Actor by = model::Actor::Of(caller);
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref));
  Pending p;
  int64_t changed = 0;
  std::vector<int64_t> kill;  // attempts whose agents are told once the request is durable
  if (s.tail && tails_.count(s.tail->job_id)) {
    model::ArrayTail& tail = EditTail(p, s.tail->job_id);
    tail.end_time = clock_.Now();
    TransitionTail(p, tail, TaskState::kCancelled, "cancelled by " + caller.local_account,
                   by);
    changed += tail.Pristine();
  }
  for (const Task& found : s.tasks) {
    if (!Live(found.id)) continue;  // already ended: nothing to do, as scancel
    Task& t = Edit(p, found.id);
    if (OnAgent(t.state)) {
      if (t.cancel_requested) continue;
      t.cancel_requested = true;
      Note(p, t, "cancel-requested", "cancel requested by " + caller.local_account, by);
      if (attempts_.count(t.current_attempt)) kill.push_back(t.current_attempt);
    } else {
      t.end_time = clock_.Now();
      Transition(p, t, TaskState::kCancelled, "state", "cancelled by " + caller.local_account,
                 by);
    }
    ++changed;
  }
  Stage(p);
  Pending again;  // dependants of what was cancelled: one transaction with the cancel
  ReevaluateWaiting(again);
  Stage(again);
  GANTRY_RETURN_IF_ERROR(AwaitDurable(lock, Flush()));
  for (int64_t id : kill) {
    auto attempt = attempts_.find(id);
    if (attempt != attempts_.end()) agents_[attempt->second.agent].kill_orders.insert(id);
  }
  if (!kill.empty()) cv_.notify_all();  // the agents' long-polls bring the orders
  return changed;
}

Result<int64_t> Broker::CancelAll(const model::Identity& caller) {
  std::vector<int64_t> jobs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : jobs_) {
      // --all means the caller's own jobs, even for an admin (as scancel -u $USER).
      if (job->owner.uid == caller.uid) jobs.push_back(id);
    }
  }
  int64_t changed = 0;
  for (int64_t id : jobs) {
    auto n = Cancel(caller, model::TaskRef{id, std::nullopt});
    if (n) changed += *n;
    else if (n.error().code() != ErrorCode::kNotFound) return Fail(n.error());
  }
  return changed;
}

Result<int64_t> Broker::Hold(const model::Identity& caller, const model::TaskRef& ref) {
  const model::Actor by = model::Actor::Of(caller);
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref));
  Pending p;
  int64_t changed = 0;
  auto pending = [](TaskState state) {
    return state == TaskState::kReady || state == TaskState::kWaiting;
  };
  if (s.tail && tails_.count(s.tail->job_id) && pending(s.tail->state)) {
    model::ArrayTail& tail = EditTail(p, s.tail->job_id);
    TransitionTail(p, tail, TaskState::kHeld, "held by " + caller.local_account, by);
    changed += tail.Pristine();
  }
  // Tasks sent to an agent but not started (an array's tasks wait in its queue) are taken
  // back and held; the answer counts those the agent confirms.
  std::vector<int64_t> asked;
  for (const Task& found : s.tasks) {
    if (found.state == TaskState::kScheduled && !found.cancel_requested) {
      auto attempt = attempts_.find(found.current_attempt);
      if (attempt != attempts_.end() && attempt->second.state == model::AttemptState::kScheduled) {
        AskWithdraw(attempt->second, Withdrawal{Withdrawal::Purpose::kHold, caller.local_account,
                                                by, Withdrawal::Outcome::kPending,
                                                /*awaited=*/true});
        asked.push_back(attempt->first);
      }
      continue;
    }
    if (!pending(found.state)) continue;
    Task& t = Edit(p, found.id);
    Transition(p, t, TaskState::kHeld, "state", "held by " + caller.local_account, by);
    ++changed;
  }
  if (changed == 0 && asked.empty()) {
    return Fail(FailedPrecondition("job " + ref.ToString() +
                                   " has no pending task to hold (only READY, WAITING or "
                                   "not yet started tasks can be held)"));
  }
  if (!p.batch.empty() || !p.tasks.empty() || !p.tails.empty()) {
    GANTRY_RETURN_IF_ERROR(CommitLocked(p, lock));
  }
  changed += AwaitWithdrawals(lock, asked);
  if (changed == 0) {
    return Fail(FailedPrecondition("job " + ref.ToString() +
                                   " has no pending task to hold: its tasks started"));
  }
  return changed;
}

int64_t Broker::AwaitWithdrawals(std::unique_lock<std::mutex>& lock,
                                 const std::vector<int64_t>& attempts) {
  if (attempts.empty()) return 0;
  auto pending = [&] {
    return std::any_of(attempts.begin(), attempts.end(), [&](int64_t id) {
      auto it = withdrawals_.find(id);
      return it != withdrawals_.end() && it->second.outcome == Withdrawal::Outcome::kPending;
    });
  };
  // An agent answers with its next poll, which the order ends at once; a silent agent is
  // not waited for long (its attempts are still held if they come back unstarted).
  TimeMicros deadline = clock_.MonotonicNow() + 5 * kMicrosPerSecond;
  while (!shutdown_ && pending()) {
    if (clock_.WaitUntil(cv_, lock, deadline) == std::cv_status::timeout) break;
  }
  int64_t withdrawn = 0;
  for (int64_t id : attempts) {
    auto it = withdrawals_.find(id);
    if (it == withdrawals_.end()) continue;
    if (it->second.outcome == Withdrawal::Outcome::kPending) {
      it->second.awaited = false;  // resolved later, by whoever comes
      continue;
    }
    if (it->second.outcome == Withdrawal::Outcome::kWithdrawn) ++withdrawn;
    withdrawals_.erase(it);
  }
  return withdrawn;
}

Result<int64_t> Broker::Release(const model::Identity& caller, const model::TaskRef& ref) {
  const model::Actor by = model::Actor::Of(caller);
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  GANTRY_ASSIGN_OR_RETURN(Selection s, Resolve(caller, ref));
  Pending p;
  int64_t changed = 0;
  std::optional<std::tuple<TaskState, std::string>> verdict;  // tasks share one job
  auto decide = [&](int64_t job_id) -> const std::tuple<TaskState, std::string>& {
    if (!verdict) verdict = InitialState(*jobs_.at(job_id));
    return *verdict;
  };
  if (s.tail && tails_.count(s.tail->job_id) && s.tail->state == TaskState::kHeld) {
    model::ArrayTail& tail = EditTail(p, s.tail->job_id);
    const auto& [state, reason] = decide(tail.job_id);
    if (state == TaskState::kCancelled) tail.end_time = clock_.Now();
    TransitionTail(p, tail, state, "released by " + caller.local_account + "; " + reason, by);
    changed += tail.Pristine();
  }
  for (const Task& found : s.tasks) {
    if (found.state != TaskState::kHeld || !Live(found.id)) continue;
    const auto& [state, reason] = decide(found.job_id);
    Task& t = Edit(p, found.id);
    if (state == TaskState::kCancelled) t.end_time = clock_.Now();
    Transition(p, t, state, "state", "released by " + caller.local_account + "; " + reason, by);
    ++changed;
  }
  if (changed == 0) {
    return Fail(FailedPrecondition("job " + ref.ToString() + " is not held"));
  }
  GANTRY_RETURN_IF_ERROR(CommitLocked(p, lock));
  return changed;
}

}  // namespace gantry::broker
