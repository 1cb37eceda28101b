// Group commit: memory (the decided view) follows a transition at once, the committer
// makes it durable, and the durable view (what queries show) follows when it lands.
#include "base/log.h"
#include "broker/broker.h"

namespace gantry::broker {

using model::Task;
using model::TaskState;

namespace {
// Failed transactions remembered for their waiters; older ones are forgotten.
constexpr size_t kFailuresKept = 1024;
}  // namespace

void Broker::Stage(Pending& p) {
  for (auto& [id, t] : p.tasks) p.batch.tasks.push_back(t);
  for (auto& [id, tail] : p.tails) p.batch.tails.push_back(tail);
  if (p.batch.empty()) return;
  const int64_t seq = next_seq_;  // the transaction being staged
  // The durable view keeps what was there before the first transaction not yet durable.
  std::vector<std::shared_ptr<const model::Job>> task_jobs;
  for (const auto& [id, t] : p.tasks) {
    auto active = active_.find(id);
    auto [u, fresh] = undurable_.try_emplace(id);
    if (fresh && active != active_.end()) {
      u->second.durable = active->second.task;
      u->second.job = active->second.job;
    }
    u->second.decided = t;
    u->second.last_seq = seq;
    task_jobs.push_back(active != active_.end() ? active->second.job : nullptr);
  }
  for (const auto& [job_id, tail] : p.tails) {
    auto held = tails_.find(job_id);
    auto [u, fresh] = undurable_tails_.try_emplace(job_id);
    if (fresh && held != tails_.end()) {
      u->second.durable = held->second;
      u->second.job = jobs_.at(job_id);
    }
    u->second.decided = tail;
    u->second.last_seq = seq;
  }
  // Jobs of new tasks and tails are known once memory follows (new jobs join jobs_).
  auto job_of = [&](int64_t job_id) -> std::shared_ptr<const model::Job> {
    auto it = jobs_.find(job_id);
    if (it != jobs_.end()) return it->second;
    for (const model::Job& j : p.batch.new_jobs) {
      if (j.id == job_id) return std::make_shared<const model::Job>(j);
    }
    return nullptr;
  };
  std::vector<std::shared_ptr<const model::Job>> tail_jobs;
  for (const auto& [job_id, tail] : p.tails) tail_jobs.push_back(job_of(job_id));
  Apply(p);
  size_t i = 0;
  for (const auto& [id, t] : p.tasks) {
    std::shared_ptr<const model::Job> job = task_jobs[i++];
    if (!job) job = job_of(t.job_id);
    staging_.tasks.emplace_back(t, std::move(job));
  }
  i = 0;
  for (const auto& [job_id, tail] : p.tails) {
    std::shared_ptr<const model::Job> job = tail_jobs[i++];
    if (!job) job = job_of(job_id);
    staging_.tails.emplace_back(tail, std::move(job));
  }
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  store::Batch& b = staged_batch_;
  append(b.new_jobs, p.batch.new_jobs);
  append(b.tasks, p.batch.tasks);
  append(b.attempts, p.batch.attempts);
  append(b.events, p.batch.events);
  append(b.tails, p.batch.tails);
  append(b.tail_events, p.batch.tail_events);
  append(b.agent_drains, p.batch.agent_drains);
}

int64_t Broker::Flush() {
  if (staged_batch_.empty()) return 0;  // nothing to wait for
  int64_t seq = next_seq_++;
  staging_.seq = seq;
  in_flight_.push_back(std::move(staging_));
  staging_ = InFlight{};
  store::Batch batch = std::move(staged_batch_);
  staged_batch_ = store::Batch{};
  committer_->Submit(seq, epoch_, std::move(batch));
  flushed_seq_ = seq;
  return seq;
}

Status Broker::AwaitDurable(std::unique_lock<std::mutex>& lock, int64_t seq) {
  Flush();
  durable_cv_.wait(lock, [&] { return settled_seq_ >= seq; });
  auto failed = failures_.find(seq);
  if (failed != failures_.end()) return Fail(failed->second);
  return {};
}

Status Broker::CommitLocked(Pending& p, std::unique_lock<std::mutex>& lock) {
  Stage(p);
  return AwaitDurable(lock, Flush());
}

void Broker::Landed(const std::vector<store::GroupCommitter::Outcome>& outcomes) {
  std::lock_guard lock(mu_);
  for (const store::GroupCommitter::Outcome& o : outcomes) {
    if (o.status) {
      AdvanceDurable(o.seq);
    } else {
      failures_.emplace(o.seq, o.status.error());
      if (failures_.size() > kFailuresKept) failures_.erase(failures_.begin());
      if (o.epoch == epoch_) {
        // What was decided on top of it fails too (the committer writes nothing more of this
        // epoch); memory goes back to what the store holds.
        LogError("commit failed, memory reloaded from the store: " + o.status.error().message());
        epoch_ = o.epoch + 1;
        Reload();
      }
    }
    settled_seq_ = std::max(settled_seq_, o.seq);
  }
  durable_cv_.notify_all();
  cv_.notify_all();
}

void Broker::AdvanceDurable(int64_t seq) {
  while (!in_flight_.empty() && in_flight_.front().seq <= seq) {
    InFlight& landed = in_flight_.front();
    for (auto& [t, job] : landed.tasks) {
      auto u = undurable_.find(t.id);
      if (u == undurable_.end()) continue;
      if (u->second.last_seq <= landed.seq) {
        undurable_.erase(u);  // memory is durable again
        continue;
      }
      if (model::IsTerminal(t.state)) {
        u->second.durable.reset();
      } else {
        u->second.durable = std::move(t);
        u->second.job = std::move(job);
      }
    }
    for (auto& [tail, job] : landed.tails) {
      auto u = undurable_tails_.find(tail.job_id);
      if (u == undurable_tails_.end()) continue;
      if (u->second.last_seq <= landed.seq) {
        undurable_tails_.erase(u);
        continue;
      }
      if (tail.Finished()) {
        u->second.durable.reset();
      } else {
        u->second.durable = std::move(tail);
        u->second.job = std::move(job);
      }
    }
    in_flight_.pop_front();
  }
}

void Broker::Reload() {
  active_.clear();
  jobs_.clear();
  active_per_job_.clear();
  running_per_job_.clear();
  ready_.clear();
  waiting_.clear();
  deps_ = DependencyIndex();
  tails_.clear();
  waiting_tails_.clear();
  ready_tails_.clear();
  attempts_.clear();
  drains_.clear();
  job_ads_.clear();
  undurable_.clear();
  undurable_tails_.clear();
  in_flight_.clear();
  staging_ = InFlight{};
  staged_batch_ = store::Batch{};
  Status loaded = LoadLocked();
  if (loaded) {
    reload_error_.reset();
  } else {
    reload_error_ = loaded.error();
    LogError("could not reload the queue from the store: " + loaded.error().message());
  }
}

Status Broker::Recovered() {
  if (!reload_error_) return {};
  Reload();
  if (reload_error_) {
    return Fail(Unavailable("the server cannot read its database after a failed commit (" +
                            reload_error_->message() + "); it retries with each request"));
  }
  return {};
}

int64_t Broker::UndurableForTest() {
  std::lock_guard lock(mu_);
  return flushed_seq_ - settled_seq_;
}

void Broker::Apply(Pending& p) {
  // Tails leave the indexes first: a task just taken from a tail has the key its tail's
  // head had.
  for (auto& [job_id, tail] : p.tails) {
    auto it = tails_.find(job_id);
    if (it != tails_.end()) IndexTail(it->second, false);
  }
  for (const model::Job& job : p.batch.new_jobs) {
    jobs_[job.id] = std::make_shared<const model::Job>(job);
  }
  for (auto& [id, t] : p.tasks) {
    auto it = active_.find(id);
    if (it != active_.end()) {
      Index(it->second.task, false);
      if (model::IsTerminal(t.state)) {
        int64_t job_id = t.job_id;
        active_.erase(it);
        if (--active_per_job_[job_id] == 0) ForgetJob(job_id);
        continue;
      }
      it->second.task = t;
    } else {
      if (model::IsTerminal(t.state)) continue;  // born finished (e.g. dependency never met)
      active_[id] = ActiveTask{t, jobs_.at(t.job_id)};
      ++active_per_job_[t.job_id];
      Index(t, true);
      continue;
    }
    Index(t, true);
  }
  // Tails after tasks: a task materialized from a tail is counted before the tail may stop
  // counting, so the job is never forgotten in between.
  for (auto& [job_id, tail] : p.tails) {
    auto it = tails_.find(job_id);
    if (!tail.Finished()) {
      if (it == tails_.end()) ++active_per_job_[job_id];
      IndexTail(tails_[job_id] = tail, true);
      continue;
    }
    if (it == tails_.end()) continue;  // born finished
    tails_.erase(it);
    if (--active_per_job_[job_id] == 0) ForgetJob(job_id);
  }
  for (const model::Job& job : p.batch.new_jobs) {
    if (!active_per_job_.count(job.id)) jobs_.erase(job.id);  // every task was born finished
  }
  for (const model::Attempt& a : p.batch.attempts) {
    if (a.state == model::AttemptState::kEnded) {
      attempts_.erase(a.id);
    } else {
      attempts_[a.id] = a;
    }
  }
  // What waits on a changed task (by its id or its job's) or tail (any id in its range) is
  // due for re-evaluation.
  for (const auto& [id, t] : p.tasks) {
    deps_.Changed(id, id + 1);
    deps_.Changed(t.job_id, t.job_id + 1);
  }
  for (const auto& [job_id, tail] : p.tails) deps_.Changed(job_id, job_id + tail.count);
  cv_.notify_all();
}


}  // namespace gantry::broker
