#include "metrics/store_meter.h"

namespace gantry::metrics {

using model::TaskState;

MeteredStore::MeteredStore(store::Store& inner, Registry& registry, std::string default_partition)
    : inner_(inner), registry_(registry), default_partition_(std::move(default_partition)) {
  registry_.DeclareGauge(std::string(kJobs),
                         "Unfinished jobs (array tasks count one each) by state and partition.");
  registry_.DeclareCounter(std::string(kSubmitted),
                           "Jobs (array tasks each) accepted since the server started.");
  registry_.DeclareCounter(std::string(kCompleted),
                           "Jobs (array tasks each) that ended since the server started, by "
                           "final state.");
  registry_.DeclareHistogram(std::string(kQueueWait),
                             "Seconds from submission to the start of a job's first attempt.",
                             {1, 5, 15, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400});
}

void MeteredStore::Count(TaskState state, const std::string& partition, int64_t delta) {
  registry_.Add(kJobs, {{"state", std::string(model::StateName(state))}, {"partition", partition}},
                static_cast<double>(delta));
}

const std::string& MeteredStore::PartitionOf(int64_t job_id) {
  auto it = jobs_.find(job_id);
  return it == jobs_.end() ? default_partition_ : it->second.partition;
}

void MeteredStore::Forget(int64_t job_id) {
  auto it = jobs_.find(job_id);
  if (it != jobs_.end() && it->second.live <= 0) jobs_.erase(it);
}

void MeteredStore::Job(const model::Job& job) {
  JobInfo& info = jobs_[job.id];
  info.partition = job.spec.partition.empty() ? default_partition_ : job.spec.partition;
  info.submit_time = job.submit_time;
}

void MeteredStore::Task(const model::Task& t) {
  const std::string& partition = PartitionOf(t.job_id);
  auto it = tasks_.find(t.id);
  bool known = it != tasks_.end();
  TaskState before = known ? it->second : TaskState::kSubmitted;
  if (known && before == t.state) return;
  if (known) Count(before, partition, -1);
  // The first attempt started: its wait. A job that ran and ended within one poll reaches
  // the store already ended (its start is in start_time).
  bool started = t.state == TaskState::kRunning || (model::IsTerminal(t.state) && t.start_time > 0);
  if (started && before != TaskState::kRunning && t.attempts == 1 && !loading_) {
    auto job = jobs_.find(t.job_id);
    if (job != jobs_.end() && t.start_time >= job->second.submit_time) {
      registry_.Observe(
          kQueueWait, {{"partition", partition}},
          static_cast<double>(t.start_time - job->second.submit_time) / kMicrosPerSecond);
    }
  }
  if (model::IsTerminal(t.state)) {
    registry_.Add(kCompleted,
                  {{"state", std::string(model::StateName(t.state))}, {"partition", partition}});
    if (known) {
      tasks_.erase(it);
      if (auto job = jobs_.find(t.job_id); job != jobs_.end()) job->second.live--;
    }
    return;
  }
  Count(t.state, partition, +1);
  if (!known) {
    tasks_[t.id] = t.state;
    jobs_[t.job_id].live++;
  } else {
    it->second = t.state;
  }
}

void MeteredStore::Tail(const model::ArrayTail& tail) {
  const std::string& partition = PartitionOf(tail.job_id);
  auto it = tails_.find(tail.job_id);
  if (it != tails_.end()) {
    Count(it->second.state, partition, -it->second.pristine);
  } else {
    jobs_[tail.job_id].live++;
  }
  int64_t pristine = tail.Pristine();
  if (model::IsTerminal(tail.state) || pristine <= 0) {
    if (model::IsTerminal(tail.state) && pristine > 0) {
      registry_.Add(
          kCompleted,
          {{"state", std::string(model::StateName(tail.state))}, {"partition", partition}},
          static_cast<double>(pristine));
    }
    tails_.erase(tail.job_id);
    jobs_[tail.job_id].live--;
    return;
  }
  Count(tail.state, partition, pristine);
  tails_[tail.job_id] = {tail.state, pristine};
}

Status MeteredStore::Commit(const store::Batch& batch) {
  GANTRY_RETURN_IF_ERROR(inner_.Commit(batch));
  Record(batch);
  return {};
}

Status MeteredStore::CommitAll(const std::vector<const store::Batch*>& batches) {
  GANTRY_RETURN_IF_ERROR(inner_.CommitAll(batches));
  for (const store::Batch* b : batches) Record(*b);
  return {};
}

void MeteredStore::Record(const store::Batch& batch) {
  std::lock_guard lock(mu_);
  for (const model::Job& j : batch.new_jobs) {
    Job(j);
    int64_t count = j.spec.array ? static_cast<int64_t>(j.spec.array->task_ids.size()) : 1;
    registry_.Add(kSubmitted, {{"partition", PartitionOf(j.id)}}, static_cast<double>(count));
  }
  for (const model::ArrayTail& t : batch.tails) Tail(t);
  for (const model::Task& t : batch.tasks) Task(t);
  for (const model::Job& j : batch.new_jobs) Forget(j.id);
  for (const model::Task& t : batch.tasks) Forget(t.job_id);
  for (const model::ArrayTail& t : batch.tails) Forget(t.job_id);
}

Result<store::ActiveState> MeteredStore::LoadActive() {
  GANTRY_ASSIGN_OR_RETURN(store::ActiveState state, inner_.LoadActive());
  std::lock_guard lock(mu_);
  loading_ = true;  // a restart: what runs now was observed (or not) by the last server
  for (const model::Job& j : state.jobs) Job(j);
  for (const model::ArrayTail& t : state.tails) Tail(t);
  for (const model::Task& t : state.tasks) Task(t);
  for (const model::Job& j : state.jobs) Forget(j.id);
  loading_ = false;
  return state;
}

}  // namespace gantry::metrics
