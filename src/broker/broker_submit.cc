// Submission and the WAITING -> READY decisions (dependencies, --begin).
#include "base/strings.h"
#include "broker/broker.h"
#include "broker/matching.h"
#include "model/job_spec_json.h"
#include "model/limits.h"

namespace gantry::broker {

using model::Task;
using model::TaskState;

std::optional<JobOutcome> Broker::Outcome(const std::string& id) {
  auto ref = model::ParseTaskRef(id);
  if (!ref) return std::nullopt;
  auto s = Select(*ref, View::kDecided);
  if (!s) return std::nullopt;
  JobOutcome o;
  auto count = [&](TaskState state, int64_t n) {
    o.tasks += n;
    if (model::IsTerminal(state)) o.terminal += n;
    if (model::IsTerminal(state) || state == TaskState::kRunning) o.started += n;
    if (state == TaskState::kDone) o.done += n;
  };
  for (const Task& t : s->tasks) count(t.state, 1);
  if (s->tail) count(s->tail->state, s->tail->Pristine());
  if (o.tasks == 1) {
    o.summary = std::string(model::StateName(s->tasks.empty() ? s->tail->state : s->tasks[0].state));
  } else {
    o.summary = std::to_string(o.terminal) + " of " + std::to_string(o.tasks) + " tasks ended, " +
                std::to_string(o.done) + " DONE";
  }
  return o;
}

bool Broker::SingletonBlocked(const model::Job& job) {
  for (const auto& [id, other] : jobs_) {
    if (id >= job.id) break;
    if (other->owner.uid == job.owner.uid && other->spec.name == job.spec.name) return true;
  }
  return false;
}

std::tuple<TaskState, std::string> Broker::InitialState(const model::Job& job) {
  bool has_singleton = false;
  for (const auto& d : job.spec.dependencies) {
    has_singleton |= d.type == model::DependencyType::kSingleton;
  }
  DependencyResult deps = EvaluateDependencies(
      job.spec.dependencies, job.spec.dependencies_any,
      [this](const std::string& id) { return Outcome(id); },
      has_singleton && SingletonBlocked(job));
  if (deps.verdict == DependencyVerdict::kNeverSatisfied) {
    return {TaskState::kCancelled, "dependency can never be satisfied: " + deps.reason};
  }
  if (deps.verdict == DependencyVerdict::kPending) {
    return {TaskState::kWaiting, "Dependency: waiting for " + deps.reason};
  }
  if (job.spec.begin_time > clock_.Now()) {
    return {TaskState::kWaiting, "BeginTime: not before " + FormatTime(job.spec.begin_time)};
  }
  return {TaskState::kReady, "waiting for an agent with free resources"};
}

Result<SubmitResult> Broker::Submit(const model::Identity& caller, model::JobSpec spec) {
  GANTRY_RETURN_IF_ERROR(model::ValidateJobSpec(spec));
  GANTRY_RETURN_IF_ERROR(model::CheckNicePermission(spec.nice, caller.grants.admin));
  GANTRY_ASSIGN_OR_RETURN(spec.partition, partitions_.Resolve(spec.partition));
  if (options_.only_uid && caller.uid != *options_.only_uid && caller.uid != 0) {
    return Fail(PermissionDenied(
        "this Gantry server runs as uid " + std::to_string(*options_.only_uid) +
        " and can only run that user's jobs; ask an administrator for a shared server"));
  }
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  // Dependencies must name jobs that exist and that the caller may see, as sbatch requires.
  for (const model::Dependency& d : spec.dependencies) {
    for (const std::string& id : d.job_ids) {
      auto ref = model::ParseTaskRef(id);
      if (!ref) return Fail(InvalidArgument("dependency " + DependencyText(d) + ": " +
                                            ref.error().message()));
      auto tasks = Resolve(caller, *ref);
      if (!tasks) {
        return Fail(Error(tasks.error().code(),
                          "dependency " + DependencyText(d) + ": " + tasks.error().message()));
      }
    }
  }
  model::Job job;
  job.id = next_id_;
  job.owner = {caller.uid, caller.gid, caller.local_account};
  job.vo = caller.vo;
  job.group = caller.PrimaryGroup();
  job.submit_time = clock_.Now();
  job.spec = std::move(spec);
  if (HasMatchConstraints(job.spec)) {
    auto ad = BuildJobAd(job);
    if (!ad) return Fail(InvalidArgument(ad.error().message()));
  }

  auto [state, reason] = job.spec.hold ? std::make_tuple(TaskState::kHeld, std::string("held by "
                                             "the user at submission (-H)"))
                                       : InitialState(job);
  int64_t count = job.spec.array ? static_cast<int64_t>(job.spec.array->task_ids.size()) : 1;
  model::Actor by = model::Actor::Of(caller);
  model::Event submitted{0, 1, job.submit_time, by.source, "submitted", TaskState::kSubmitted,
                         "submitted by " + caller.local_account, by.subject, by.issuer, by.vo};
  Pending p;
  p.batch.new_jobs.push_back(job);
  if (job.spec.array) {
    // One record for all its tasks: they leave it one by one as they are dispatched.
    model::ArrayTail& tail = p.tails[job.id];
    tail.job_id = job.id;
    tail.owner_uid = job.owner.uid;
    tail.count = count;
    tail.state = TaskState::kSubmitted;
    tail.journal.push_back(submitted);
    submitted.task_id = job.id;
    p.batch.tail_events.push_back(submitted);
    if (state == TaskState::kCancelled) tail.end_time = clock_.Now();
    TransitionTail(p, tail, state, reason, Server());
  } else {
    Task t;
    t.id = job.id;
    t.job_id = job.id;
    t.owner_uid = job.owner.uid;
    t.state = TaskState::kSubmitted;
    t.event_seq = 1;
    submitted.task_id = t.id;
    p.batch.events.push_back(submitted);
    if (state == TaskState::kCancelled) t.end_time = clock_.Now();
    Transition(p, t, state, "state", reason, Server());
    p.tasks.emplace(t.id, t);
  }
  next_id_ = job.id + count;  // decided: the next submission builds on it at once
  GANTRY_RETURN_IF_ERROR(CommitLocked(p, lock));
  SubmitResult result;
  result.job_id = job.id;
  result.task_count = count;
  result.state = state;
  result.warnings = job.spec.warnings;
  return result;
}

void Broker::ReevaluateWaiting(Pending& p) {
  // Only jobs a change made due; the verdict depends only on the job, so an array waiting on
  // a dependency is evaluated once, not once per task (each evaluation reads its parents).
  for (int64_t job_id : deps_.TakeDue()) {
    auto job_it = jobs_.find(job_id);
    if (job_it == jobs_.end()) continue;  // it ended meanwhile
    const std::shared_ptr<const model::Job> job = job_it->second;
    std::optional<std::tuple<TaskState, std::string>> verdict;
    auto decide = [&]() -> const std::tuple<TaskState, std::string>& {
      if (!verdict) verdict = InitialState(*job);
      return *verdict;
    };
    if (waiting_tails_.count(job_id) && !p.tails.count(job_id)) {
      const auto& [state, reason] = decide();
      if (state != TaskState::kWaiting || reason != tails_.at(job_id).reason) {
        model::ArrayTail& tail = EditTail(p, job_id);
        if (state == TaskState::kWaiting) {
          tail.reason = reason;
        } else {
          if (state == TaskState::kCancelled) tail.end_time = clock_.Now();
          TransitionTail(p, tail, state, reason, Server());
        }
      }
    }
    // Its waiting tasks: ids job_id .. job_id + count - 1.
    int64_t count = job->spec.array ? static_cast<int64_t>(job->spec.array->task_ids.size()) : 1;
    std::vector<int64_t> ids(waiting_.lower_bound(job_id), waiting_.lower_bound(job_id + count));
    for (int64_t id : ids) {
      if (p.tasks.count(id)) continue;
      const ActiveTask& active = active_.at(id);
      const auto& [state, reason] = decide();
      if (state == TaskState::kWaiting && reason == active.task.reason) continue;
      Task& t = Edit(p, id);
      if (state == TaskState::kWaiting) {
        t.reason = reason;  // a new reason, same state: no event needed
      } else {
        if (state == TaskState::kCancelled) t.end_time = clock_.Now();
        Transition(p, t, state, "state", reason, Server());
      }
    }
  }
}

}  // namespace gantry::broker
