// MeteredStore: the broker's Store with the job metrics read off what it persists (a
// decorator: the broker is unchanged). Every transition the broker makes is in a Batch, so
// the batches say what was submitted, what ended and how long a job waited; LoadActive says
// where a restart begins. Keeps, per unfinished task, its state and partition. Thread-safe
// (its own mutex, taken after the inner store's commit returns).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "metrics/registry.h"
#include "store/store.h"

namespace gantry::metrics {

// The families it updates (docs/metrics.md).
inline constexpr std::string_view kJobs = "gantry_jobs";
inline constexpr std::string_view kSubmitted = "gantry_jobs_submitted_total";
inline constexpr std::string_view kCompleted = "gantry_jobs_completed_total";
inline constexpr std::string_view kQueueWait = "gantry_queue_wait_seconds";

class MeteredStore final : public store::Store {
 public:
  // inner and registry must outlive it; jobs without a partition count under
  // default_partition (the broker's first).
  MeteredStore(store::Store& inner, Registry& registry, std::string default_partition);

  Status Commit(const store::Batch& batch) override;
  Status CommitAll(const std::vector<const store::Batch*>& batches) override;
  Result<store::ActiveState> LoadActive() override;
  Result<std::optional<model::Job>> GetJob(int64_t id) override { return inner_.GetJob(id); }
  Result<std::optional<model::Task>> GetTask(int64_t id) override { return inner_.GetTask(id); }
  Result<std::vector<model::Task>> GetTasksOfJob(int64_t id) override {
    return inner_.GetTasksOfJob(id);
  }
  Result<std::vector<model::Task>> ListTasks(const store::TaskFilter& f) override {
    return inner_.ListTasks(f);
  }
  Result<std::vector<model::Task>> ListHistory(const store::HistoryQuery& q) override {
    return inner_.ListHistory(q);
  }
  Result<std::vector<model::Event>> GetEvents(int64_t id) override { return inner_.GetEvents(id); }
  Result<std::vector<model::Attempt>> GetAttempts(int64_t id) override {
    return inner_.GetAttempts(id);
  }
  Result<std::optional<model::ArrayTail>> GetTailCovering(int64_t id) override {
    return inner_.GetTailCovering(id);
  }
  Result<std::vector<model::ArrayTail>> ListTails(const store::TaskFilter& f) override {
    return inner_.ListTails(f);
  }

 private:
  struct JobInfo {
    std::string partition;
    TimeMicros submit_time = 0;
    int64_t live = 0;  // unfinished tasks, and 1 while its tail has pristine tasks
  };
  struct TailInfo {
    model::TaskState state;
    int64_t pristine;
  };
  void Record(const store::Batch& batch);  // after the inner store wrote it
  void Job(const model::Job& job);
  void Task(const model::Task& task);
  void Tail(const model::ArrayTail& tail);
  void Count(model::TaskState state, const std::string& partition, int64_t delta);
  void Forget(int64_t job_id);
  const std::string& PartitionOf(int64_t job_id);

  store::Store& inner_;
  Registry& registry_;
  std::string default_partition_;
  std::mutex mu_;
  bool loading_ = false;                                 // GUARDED_BY(mu_)
  std::unordered_map<int64_t, JobInfo> jobs_;            // GUARDED_BY(mu_): unfinished jobs
  std::unordered_map<int64_t, model::TaskState> tasks_;  // GUARDED_BY(mu_): unfinished tasks
  std::unordered_map<int64_t, TailInfo> tails_;          // GUARDED_BY(mu_): by job id
};

}  // namespace gantry::metrics
