// DependencyIndex: which waiting jobs a change may release, so that nothing rescans every
// waiting job on each poll or end. A waiting job is filed under what its verdict reads: the
// ids its --dependency clauses name (parent -> dependants), its (owner, name) when it has a
// singleton clause, its --begin time. A change to one of those makes the job due; the broker
// re-evaluates only due jobs. Pure; thread-compatible (the broker's mutex guards it).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/clock.h"
#include "model/task.h"

namespace gantry::broker {

class DependencyIndex {
 public:
  // One more unit of the job (a task, or its array's tail) is WAITING. The first files it.
  void Add(const model::Job& job);
  // One fewer unit of it waits; the last unfiles it.
  void Remove(const model::Job& job);

  // A task or an array's tail changed: the jobs whose clauses name an id in [first, end)
  // are due.
  void Changed(int64_t first, int64_t end);
  // The last unfinished task of a job of (uid, name) ended: its singleton waiters are due.
  void Finished(uint32_t uid, const std::string& name);
  // Jobs whose --begin time is at or before now are due.
  void Tick(TimeMicros now);
  // Every filed job is due (after loading from the store).
  void AllDue();

  // Whether a change to task_id of job would make some job due (it has dependants).
  bool HasDependants(const model::Job& job, int64_t task_id) const;
  // The due jobs, in id order; they are no longer due (but stay filed while they wait).
  std::vector<int64_t> TakeDue();

  int64_t FiledForTest() const { return static_cast<int64_t>(filed_.size()); }

 private:
  struct Filed {
    int64_t units = 0;
    std::vector<int64_t> parents;  // ids named by its clauses, without repeats
    bool singleton = false;
    TimeMicros begin_time = 0;  // 0: not filed by time (or fired)
  };
  std::map<int64_t, Filed> filed_;                            // by job id
  std::map<int64_t, std::set<int64_t>> dependants_;           // parent id -> job ids
  std::map<std::tuple<uint32_t, std::string>, std::set<int64_t>> singletons_;
  std::set<std::tuple<TimeMicros, int64_t>> begins_;          // (begin time, job id)
  std::set<int64_t> due_;
  std::map<int64_t, std::tuple<uint32_t, std::string>> owners_;  // singleton keys by job id
};

}  // namespace gantry::broker
