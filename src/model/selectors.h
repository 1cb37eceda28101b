// How `gantry q` names what to list, as squeue does: job id lists (-j 151,151_1,151_[1-3])
// and state lists (-t PD,R). Pure.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "model/state.h"
#include "model/task.h"

namespace gantry::model {

// One item of a job id list: "151" (a job, a whole array, or an array task by its own id),
// "151_3" or "151_[1-3,7]" (tasks of array 151 by array index).
struct JobSelector {
  int64_t id = 0;
  // Inclusive array index ranges, sorted and disjoint; empty: no index given.
  std::vector<std::pair<int64_t, int64_t>> indexes;  // an IndexRanges

  bool HasIndexes() const { return !indexes.empty(); }
  bool HasIndex(int64_t index) const;
  // Whether the task (of job task.job_id, with its own id task.id) is selected.
  bool Selects(const Task& task) const;
  bool operator==(const JobSelector&) const = default;
};

using IndexRanges = std::vector<std::pair<int64_t, int64_t>>;

// Inclusive ranges sorted, with overlapping and adjacent ones joined.
IndexRanges MergeRanges(IndexRanges ranges);

// "151,151_1,151_[1-3,5]" (commas inside brackets belong to the item; a "%N" limit after
// the ranges, as squeue prints it, is ignored). Errors name the bad item.
Result<std::vector<JobSelector>> ParseJobList(std::string_view text);

// The states a list names: Gantry's names, squeue's long and short names (PENDING/PD is
// SUBMITTED, WAITING, READY and HELD; CONFIGURING/CF is SCHEDULED; COMPLETED/CD is DONE),
// and "all"; case-insensitive, comma-separated. Sorted, without duplicates.
Result<std::vector<TaskState>> ParseStateList(std::string_view text);

}  // namespace gantry::model
