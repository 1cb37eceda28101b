#include "model/array_tail.h"

#include "base/check.h"

namespace gantry::model {

std::optional<int64_t> ArrayTail::NextPristine(int64_t from) const {
  for (int64_t p = std::max(from, next); p < count; ++p) {
    if (!taken.count(p)) return p;
  }
  return std::nullopt;
}

void ArrayTail::Take(int64_t position) {
  GANTRY_CHECK(Contains(position));
  taken.insert(position);
  // Keep taken small: positions taken in order only move the watermark.
  while (!taken.empty() && *taken.begin() == next) {
    taken.erase(taken.begin());
    ++next;
  }
}

Task ArrayTail::TaskAt(int64_t position, const std::vector<int64_t>& task_ids) const {
  Task t;
  t.id = job_id + position;
  t.job_id = job_id;
  t.array_index = task_ids.at(static_cast<size_t>(position));
  t.owner_uid = owner_uid;
  t.state = state;
  t.reason = reason;
  t.event_seq = static_cast<int64_t>(journal.size());
  t.end_time = end_time;
  return t;
}

std::vector<Event> ArrayTail::JournalOf(int64_t position) const {
  std::vector<Event> out = journal;
  for (Event& e : out) e.task_id = job_id + position;
  return out;
}

std::string PristineIndexText(const ArrayTail& tail, const std::vector<int64_t>& ids) {
  std::string out;
  bool open = false;  // a range is being built: [first, last]
  int64_t first = 0, last = 0;
  auto flush = [&] {
    if (!open) return;
    if (!out.empty()) out += ",";
    out += std::to_string(first);
    if (last != first) out += "-" + std::to_string(last);
    open = false;
  };
  auto add = [&](int64_t index) {
    if (open && index == last + 1) {
      last = index;
      return;
    }
    flush();
    first = last = index;
    open = true;
  };
  int64_t p = tail.next;
  auto taken = tail.taken.begin();
  while (p < tail.count) {
    if (taken != tail.taken.end() && *taken == p) {
      flush();
      ++taken;
      ++p;
      continue;
    }
    // A run of consecutive indexes up to the next taken position is added in one step.
    int64_t stop = taken == tail.taken.end() ? tail.count : *taken;
    int64_t q = p + 1;
    while (q < stop && ids[static_cast<size_t>(q)] == ids[static_cast<size_t>(q - 1)] + 1) ++q;
    add(ids[static_cast<size_t>(p)]);
    if (q - 1 > p) {
      last = ids[static_cast<size_t>(q - 1)];
    }
    p = q;
  }
  flush();
  return out;
}

}  // namespace gantry::model
