// ArrayTail: the tasks of an array that nothing has touched since submission, kept as one
// record, as SLURM keeps a pending array as one job record. They share one state, one reason
// and one journal, so a million queued tasks cost one row, not a million. A task leaves the
// tail ("is materialized") when it is first dispatched or steered on its own: it then gets
// its own Task, whose journal starts with a copy of the tail's, so every task's journal is
// gap-free. Positions are indexes into ArraySpec::task_ids; the task at position p has id
// job_id + p. Plain value type with pure helpers: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/state.h"
#include "model/task.h"

namespace gantry::model {

struct ArrayTail {
  int64_t job_id = 0;
  uint32_t owner_uid = 0;   // copied from the job, as Task::owner_uid
  int64_t count = 0;        // tasks in the array
  int64_t next = 0;         // every position below next has left the tail
  std::set<int64_t> taken;  // positions >= next that have left it out of order
  TaskState state = TaskState::kSubmitted;
  std::string reason;
  TimeMicros end_time = 0;      // when it was cancelled
  std::vector<Event> journal;   // task_id 0, seq 1, 2, ...

  // Untouched tasks left in it.
  int64_t Pristine() const { return count - next - static_cast<int64_t>(taken.size()); }
  bool Contains(int64_t position) const {
    return position >= next && position < count && !taken.count(position);
  }
  // Nothing more can happen to it: empty, or its tasks ended together (cancelled).
  bool Finished() const { return Pristine() == 0 || IsTerminal(state); }
  // The first untouched position at or after from, if any.
  std::optional<int64_t> NextPristine(int64_t from = 0) const;
  // Removes position (which Contains) from the tail.
  void Take(int64_t position);
  // The task at position as it stands in the tail: its journal is the tail's.
  Task TaskAt(int64_t position, const std::vector<int64_t>& task_ids) const;
  // The tail's journal as the task at position's first events.
  std::vector<Event> JournalOf(int64_t position) const;
};

// "5-9,12" for the array indexes of the tail's untouched tasks (task_ids[position]), in
// position order. One pass over the untouched positions: about a millisecond per million.
std::string PristineIndexText(const ArrayTail& tail, const std::vector<int64_t>& task_ids);

}  // namespace gantry::model
