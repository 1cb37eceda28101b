#include "model/selectors.h"

#include <algorithm>

#include "base/strings.h"

namespace gantry::model {
namespace {

// Enough for any list a person types or a script builds; keeps a query bounded.
constexpr size_t kMaxItems = 1000;

Error BadJob(std::string_view item, std::string_view text, std::string_view why) {
  std::string where = item == text ? "" : " in '" + std::string(text) + "'";
  return InvalidArgument("invalid job id '" + std::string(item) + "'" + where + ": " +
                         std::string(why) +
                         " (expected 12, 12_3, 12_[1-5,7] or a comma-separated list of them)");
}

// "1-3,7" (already without brackets) into sorted, merged ranges.
Result<std::vector<std::pair<int64_t, int64_t>>> ParseRanges(std::string_view body,
                                                             std::string_view item,
                                                             std::string_view text) {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (size_t percent = body.find('%'); percent != std::string_view::npos) {
    auto limit = ParseInt(body.substr(percent + 1));
    if (!limit || *limit < 0) return Fail(BadJob(item, text, "the %limit is not a number"));
    body = body.substr(0, percent);
  }
  for (const std::string& part : Split(body, ',')) {
    size_t dash = part.find('-', 1);
    auto first = ParseInt(std::string_view(part).substr(0, dash));
    auto last = dash == std::string::npos ? first : ParseInt(std::string_view(part).substr(dash + 1));
    if (!first || !last || *first < 0 || *last < 0) {
      return Fail(BadJob(item, text, "array indexes are numbers >= 0"));
    }
    if (*last < *first) return Fail(BadJob(item, text, "a range must not run backwards"));
    out.emplace_back(*first, *last);
  }
  if (out.size() > kMaxItems) return Fail(BadJob(item, text, "too many ranges"));
  return MergeRanges(std::move(out));
}

Result<JobSelector> ParseItem(std::string_view item, std::string_view text) {
  JobSelector s;
  size_t underscore = item.find('_');
  auto id = ParseInt(item.substr(0, underscore));
  if (!id || *id <= 0) return Fail(BadJob(item, text, "a job id is a number >= 1"));
  s.id = *id;
  if (underscore == std::string_view::npos) return s;
  std::string_view rest = item.substr(underscore + 1);
  if (rest.starts_with('[')) {
    if (!rest.ends_with(']') || rest.size() < 3) {
      return Fail(BadJob(item, text, "an index list is written [1-3,7]"));
    }
    rest = rest.substr(1, rest.size() - 2);
  }
  GANTRY_ASSIGN_OR_RETURN(s.indexes, ParseRanges(rest, item, text));
  return s;
}

}  // namespace

IndexRanges MergeRanges(IndexRanges ranges) {
  std::sort(ranges.begin(), ranges.end());
  IndexRanges merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

bool JobSelector::HasIndex(int64_t index) const {
  auto it = std::upper_bound(indexes.begin(), indexes.end(), std::pair{index, INT64_MAX});
  return it != indexes.begin() && std::prev(it)->second >= index;
}

bool JobSelector::Selects(const Task& task) const {
  if (!HasIndexes()) return task.job_id == id || task.id == id;
  return task.job_id == id && task.array_index && HasIndex(*task.array_index);
}

Result<std::vector<JobSelector>> ParseJobList(std::string_view text) {
  std::vector<JobSelector> out;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '[') ++depth;
    if (i < text.size() && text[i] == ']') --depth;
    if (i < text.size() && (text[i] != ',' || depth > 0)) continue;
    std::string_view item = Trim(text.substr(start, i - start));
    start = i + 1;
    if (item.empty()) return Fail(BadJob(item, text, "an empty item"));
    GANTRY_ASSIGN_OR_RETURN(JobSelector s, ParseItem(item, text));
    out.push_back(std::move(s));
    if (out.size() > kMaxItems) return Fail(BadJob(item, text, "more than 1000 items"));
  }
  return out;
}

Result<std::vector<TaskState>> ParseStateList(std::string_view text) {
  using S = TaskState;
  struct Alias {
    std::string_view name;
    std::vector<S> states;
  };
  static const std::vector<Alias> kAliases = {
      {"PENDING", {S::kSubmitted, S::kWaiting, S::kReady, S::kHeld}},
      {"PD", {S::kSubmitted, S::kWaiting, S::kReady, S::kHeld}},
      {"CONFIGURING", {S::kScheduled}}, {"CF", {S::kScheduled}},
      {"R", {S::kRunning}},
      {"COMPLETED", {S::kDone}}, {"CD", {S::kDone}},
      {"CA", {S::kCancelled}}, {"F", {S::kFailed}},
      {"ALL", {S::kSubmitted, S::kWaiting, S::kReady, S::kScheduled, S::kRunning, S::kDone,
               S::kFailed, S::kCancelled, S::kHeld}},
  };
  std::vector<S> out;
  for (const std::string& raw : Split(text, ',')) {
    std::string_view name = Trim(raw);
    bool known = false;
    for (S s : {S::kSubmitted, S::kWaiting, S::kReady, S::kScheduled, S::kRunning, S::kDone,
                S::kFailed, S::kCancelled, S::kHeld}) {
      if (EqualsIgnoreCase(name, StateName(s))) {
        out.push_back(s);
        known = true;
      }
    }
    for (const Alias& a : kAliases) {
      if (!known && EqualsIgnoreCase(name, a.name)) {
        out.insert(out.end(), a.states.begin(), a.states.end());
        known = true;
      }
    }
    if (!known) {
      return Fail(InvalidArgument(
          "unknown state '" + std::string(name) + "'" +
          (name == text ? std::string() : " in '" + std::string(text) + "'") +
          ": expected a comma-separated list of SUBMITTED, WAITING, READY, HELD, SCHEDULED, "
          "RUNNING, DONE, FAILED, CANCELLED, or squeue's PENDING/PD, CONFIGURING/CF, R, "
          "COMPLETED/CD, CA, F, ALL (case-insensitive)"));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace gantry::model
