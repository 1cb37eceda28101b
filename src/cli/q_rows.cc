#include "cli/q_rows.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "base/strings.h"
#include "cli/jobs.h"
#include "cli/text_width.h"
#include "model/selectors.h"
#include "model/state.h"

namespace gantry::cli {
namespace {

using nlohmann::json;
using Ranges = model::IndexRanges;

bool Pending(std::string_view state) {
  return state == "READY" || state == "WAITING" || state == "HELD" || state == "SUBMITTED";
}

// "5-99,101" (a row of many) into ranges; a bad piece is skipped (it came from the server).
void AddRanges(const std::string& text, Ranges& out) {
  for (const std::string& part : Split(text, ',')) {
    size_t dash = part.find('-');
    auto first = ParseInt(std::string_view(part).substr(0, dash));
    auto last = dash == std::string::npos ? first
                                          : ParseInt(std::string_view(part).substr(dash + 1));
    if (first && last) out.emplace_back(*first, *last);
  }
}

std::string RangesText(Ranges ranges) {
  std::string out;
  for (const auto& [first, last] : model::MergeRanges(std::move(ranges))) {
    out += (out.empty() ? "" : ",") + std::to_string(first);
    if (last > first) out += "-" + std::to_string(last);
  }
  return out;
}

QRow Describe(const json& t, TimeMicros now) {
  QRow r;
  std::string state = t["state"].get<std::string>();
  r.id = TaskLabel(t);
  r.partition = t["partition"].get<std::string>();
  r.name = t["name"].get<std::string>();
  r.user = t["owner"].get<std::string>();
  r.state = state;
  int64_t start = t["start_time"].get<int64_t>(), end = t["end_time"].get<int64_t>();
  bool ended = model::IsTerminal(model::ParseState(state).value_or(model::TaskState::kFailed));
  int64_t until = ended ? std::max(end, start) : now;
  r.time = SqueueTime(start == 0 ? 0 : std::max<int64_t>(0, until - start) / kMicrosPerSecond);
  r.nodes = "1";
  std::string reason = t["reason"].get<std::string>();
  if (state == "RUNNING" || state == "SCHEDULED") {
    r.reason = "local";
  } else if (ended) {
    r.reason = reason;
  } else {
    r.reason = "(" + reason + ")";
  }
  return r;
}

}  // namespace

std::vector<QRow> FoldQueueRows(const json& rows, TimeMicros now) {
  std::vector<QRow> out;
  // (job, state, reason) -> the line that folds them and the indexes it has.
  std::map<std::tuple<int64_t, std::string, std::string>, std::pair<size_t, Ranges>> folds;
  for (const json& t : rows) {
    std::string state = t["state"].get<std::string>();
    if (!Pending(state) || t["array_index"].is_null()) {
      out.push_back(Describe(t, now));
      continue;
    }
    auto key = std::make_tuple(t["job_id"].get<int64_t>(), state, t["reason"].get<std::string>());
    auto [it, fresh] = folds.try_emplace(key, out.size(), Ranges{});
    if (fresh) out.push_back(Describe(t, now));
    if (t.value("count", int64_t{1}) > 1) {
      AddRanges(t["indexes"].get<std::string>(), it->second.second);
    } else {
      int64_t index = t["array_index"].get<int64_t>();
      it->second.second.emplace_back(index, index);
    }
  }
  for (const auto& [key, fold] : folds) {
    const auto& [position, ranges] = fold;
    bool one = ranges.size() == 1 && ranges[0].first == ranges[0].second;
    out[position].id = std::to_string(std::get<0>(key)) + "_" +
                       (one ? std::to_string(ranges[0].first) : "[" + RangesText(ranges) + "]");
  }
  return out;
}

std::string FormatQueueTable(const std::vector<QRow>& rows, bool header) {
  auto line = [](const QRow& r) {
    // squeue's default widths; the reason is last and not cut.
    return PadLeft(r.id, 20) + " " + FitRight(r.partition, 9) + " " + FitRight(r.name, 12) +
           " " + FitRight(r.user, 8) + " " + PadLeft(r.state, 9) + " " + PadLeft(r.time, 10) +
           " " + PadLeft(r.nodes, 5) + " " + Printable(r.reason) + "\n";
  };
  std::string out;
  if (header) {
    out += line({"JOBID", "PARTITION", "NAME", "USER", "ST", "TIME", "NODES", "NODELIST(REASON)"});
  }
  for (const QRow& r : rows) out += line(r);
  return out;
}

}  // namespace gantry::cli
