#include "acct/report.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

#include "acct/text_format.h"

namespace gantry::acct {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The start of the period after the one starting at `start`.
TimeMicros NextPeriod(TimeMicros start, Period period, int tz) {
  if (period == Period::kDay) return start + 86400 * kMicrosPerSecond;
  if (period == Period::kWeek) return start + 7 * 86400 * kMicrosPerSecond;
  int64_t local_day = FloorDiv(FloorDiv(start, kMicrosPerSecond) + tz, 86400);
  int64_t y;
  int m, d;
  CivilFromDays(local_day, &y, &m, &d);
  if (++m > 12) {
    m = 1;
    ++y;
  }
  return (DaysFromCivil(y, m, 1) * 86400 - tz) * kMicrosPerSecond;
}

std::string LocalDate(TimeMicros t, int tz) {
  std::string out;
  DateWriter(tz).Append(t, out);
  return out.substr(0, 10);
}

std::string Fixed(double v, int decimals) {
  std::string out;
  AppendFixed(v, decimals, out);
  return out;
}

std::string_view KindName(ReportKind k) {
  switch (k) {
    case ReportKind::kUtilization:
      return "utilization";
    case ReportKind::kTopUsers:
      return "top";
    case ReportKind::kVos:
      return "vo";
    case ReportKind::kAccounts:
      return "account";
    case ReportKind::kApel:
      return "apel";
  }
  return "utilization";
}

std::string_view PeriodName(Period p) {
  switch (p) {
    case Period::kDay:
      return "day";
    case Period::kWeek:
      return "week";
    case Period::kMonth:
      return "month";
  }
  return "day";
}

Result<int64_t> QueryInt(const std::map<std::string, std::string>& q, const std::string& key,
                         int64_t fallback) {
  auto it = q.find(key);
  if (it == q.end()) return fallback;
  int64_t v = 0;
  const std::string& s = it->second;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return Fail(InvalidArgument("'" + key + "' must be a whole number, not '" + s + "'"));
  }
  return v;
}

}  // namespace

Result<ReportKind> ParseReportKind(std::string_view text) {
  for (ReportKind k : {ReportKind::kUtilization, ReportKind::kTopUsers, ReportKind::kVos,
                       ReportKind::kAccounts, ReportKind::kApel}) {
    if (text == KindName(k)) return k;
  }
  return Fail(InvalidArgument("unknown report '" + std::string(text) +
                              "'; the reports are utilization, top, vo, account and apel"));
}

Result<Period> ParsePeriod(std::string_view text) {
  for (Period p : {Period::kDay, Period::kWeek, Period::kMonth}) {
    if (text == PeriodName(p)) return p;
  }
  return Fail(InvalidArgument("--per must be day, week or month, not '" + std::string(text) + "'"));
}

std::map<std::string, std::string> ReportToQuery(const ReportRequest& r) {
  return {{"kind", std::string(KindName(r.kind))}, {"start", std::to_string(r.start)},
          {"end", std::to_string(r.end)},          {"per", std::string(PeriodName(r.period))},
          {"limit", std::to_string(r.limit)},      {"site", r.site},
          {"output", r.json ? "json" : "text"},    {"tz", std::to_string(r.tz_offset_seconds)}};
}

Result<ReportRequest> ReportFromQuery(const std::map<std::string, std::string>& q) {
  ReportRequest r;
  if (auto it = q.find("kind"); it != q.end()) {
    GANTRY_ASSIGN_OR_RETURN(r.kind, ParseReportKind(it->second));
  }
  if (auto it = q.find("per"); it != q.end()) {
    GANTRY_ASSIGN_OR_RETURN(r.period, ParsePeriod(it->second));
  }
  GANTRY_ASSIGN_OR_RETURN(r.start, QueryInt(q, "start", 0));
  GANTRY_ASSIGN_OR_RETURN(r.end, QueryInt(q, "end", INT64_MAX));
  if (r.start > r.end) return Fail(InvalidArgument("the start time is after the end time"));
  GANTRY_ASSIGN_OR_RETURN(r.limit, QueryInt(q, "limit", 10));
  if (r.limit < 1 || r.limit > 100000) {
    return Fail(InvalidArgument("the number of top users must be from 1 to 100000"));
  }
  if (auto it = q.find("site"); it != q.end()) r.site = it->second;
  if (auto it = q.find("output"); it != q.end()) {
    if (it->second != "json" && it->second != "text") {
      return Fail(InvalidArgument("output must be text or json, not '" + it->second + "'"));
    }
    r.json = it->second == "json";
  }
  GANTRY_ASSIGN_OR_RETURN(int64_t tz, QueryInt(q, "tz", 0));
  if (tz < -86400 || tz > 86400) return Fail(InvalidArgument("tz out of range"));
  r.tz_offset_seconds = static_cast<int>(tz);
  // Utilization per day over more than ten years would be a very long table.
  if (r.kind == ReportKind::kUtilization && r.end != INT64_MAX &&
      (r.end - r.start) / kMicrosPerSecond / 86400 > 3660) {
    return Fail(InvalidArgument("the window is longer than ten years; give -S and -E"));
  }
  return r;
}

TimeMicros PeriodStart(TimeMicros t, Period period, int tz) {
  int64_t local_day = FloorDiv(FloorDiv(t, kMicrosPerSecond) + tz, 86400);
  if (period == Period::kWeek) {
    local_day -= (local_day + 3) % 7 < 0 ? (local_day + 3) % 7 + 7 : (local_day + 3) % 7;
  } else if (period == Period::kMonth) {
    int64_t y;
    int m, d;
    CivilFromDays(local_day, &y, &m, &d);
    local_day = DaysFromCivil(y, m, 1);
  }
  return (local_day * 86400 - tz) * kMicrosPerSecond;
}

void Reporter::AddClipped(const model::UsageRecord& r, TimeMicros from, TimeMicros to,
                          Sums& s) const {
  TimeMicros a = std::max(from, r.start_time);
  TimeMicros b = std::min(to, r.end_time);
  if (b <= a && r.end_time > r.start_time) return;
  double part = r.end_time > r.start_time
                    ? static_cast<double>(b - a) / static_cast<double>(r.end_time - r.start_time)
                    : 1.0;
  s.core_seconds += r.CoreSeconds() * part;
  s.gpu_seconds += r.GpuSeconds() * part;
  s.cpu_seconds += (r.user_cpu_seconds + r.system_cpu_seconds) * part;
  s.wall_seconds += r.elapsed_seconds * part;
}

void Reporter::Add(const model::UsageRecord& r) {
  const ReportRequest& q = request_;
  if (q.kind == ReportKind::kApel) {
    if (r.end_time < q.start || r.end_time > q.end) return;  // APEL: by end time, whole
    ApelSums& a = apel_[{std::string(r.vo), std::string(r.group), r.cores}];
    a.sums.jobs++;
    a.sums.wall_seconds += r.elapsed_seconds;
    a.sums.cpu_seconds += r.user_cpu_seconds + r.system_cpu_seconds;
    a.earliest_end = std::min(a.earliest_end, r.end_time);
    a.latest_end = std::max(a.latest_end, r.end_time);
    return;
  }
  // Usage inside the window only, as sreport clips it.
  TimeMicros from = std::max(q.start, r.start_time);
  TimeMicros to = std::min(q.end, r.end_time);
  if (to < from) return;
  if (q.kind == ReportKind::kUtilization) {
    for (TimeMicros p = PeriodStart(from, q.period, q.tz_offset_seconds); p <= to;
         p = NextPeriod(p, q.period, q.tz_offset_seconds)) {
      Sums& s = periods_[p];
      AddClipped(r, std::max(p, q.start),
                 std::min(NextPeriod(p, q.period, q.tz_offset_seconds), q.end), s);
      if (r.end_time >= p && r.end_time < NextPeriod(p, q.period, q.tz_offset_seconds)) s.jobs++;
    }
  } else {
    std::string_view key = q.kind == ReportKind::kTopUsers ? r.user
                           : q.kind == ReportKind::kVos    ? r.vo
                                                           : r.account;
    auto it = groups_.find(std::string(key));  // (the map's nodes are few: one per name)
    if (it == groups_.end()) it = groups_.emplace(std::string(key), Sums()).first;
    AddClipped(r, q.start, q.end, it->second);
    it->second.jobs++;
  }
  total_.jobs++;
  AddClipped(r, q.start, q.end, total_);
}

std::string Reporter::Table(const std::string& label, const std::map<std::string, Sums>& rows,
                            bool ranked) const {
  std::vector<std::pair<std::string, Sums>> order(rows.begin(), rows.end());
  if (ranked) {
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.second.core_seconds > b.second.core_seconds;
    });
    if (request_.kind == ReportKind::kTopUsers &&
        static_cast<int64_t>(order.size()) > request_.limit) {
      order.resize(static_cast<size_t>(request_.limit));
    }
  }
  std::string out;
  if (request_.json) {
    out = "{\"rows\":[";
    for (size_t i = 0; i < order.size(); ++i) {
      const Sums& s = order[i].second;
      if (i) out += ",";
      out += "{\"" + label + "\":";
      AppendJsonString(order[i].first, out);
      out += ",\"jobs\":" + std::to_string(s.jobs) +
             ",\"core_hours\":" + Fixed(s.core_seconds / 3600, 3) +
             ",\"gpu_hours\":" + Fixed(s.gpu_seconds / 3600, 3) +
             ",\"cpu_hours\":" + Fixed(s.cpu_seconds / 3600, 3) + "}";
    }
    out += "],\"total_core_hours\":" + Fixed(total_.core_seconds / 3600, 3) + "}\n";
    return out;
  }
  char line[512];
  std::snprintf(line, sizeof line, "%-20s %10s %14s %12s %12s %8s %7s\n", label.c_str(), "Jobs",
                "CoreHours", "GPUHours", "CPUHours", "CPU-eff", "Share");
  out += line;
  out += std::string(20, '-') + " " + std::string(10, '-') + " " + std::string(14, '-') + " " +
         std::string(12, '-') + " " + std::string(12, '-') + " " + std::string(8, '-') + " " +
         std::string(7, '-') + "\n";
  for (const auto& [name, s] : order) {
    std::string efficiency =
        s.core_seconds > 0 ? Fixed(100 * s.cpu_seconds / s.core_seconds, 1) + "%" : "-";
    std::string share =
        total_.core_seconds > 0 ? Fixed(100 * s.core_seconds / total_.core_seconds, 1) + "%" : "-";
    std::snprintf(line, sizeof line, "%-20s %10lld %14s %12s %12s %8s %7s\n",
                  (name.empty() ? std::string("(none)") : name).c_str(),
                  static_cast<long long>(s.jobs), Fixed(s.core_seconds / 3600, 2).c_str(),
                  Fixed(s.gpu_seconds / 3600, 2).c_str(), Fixed(s.cpu_seconds / 3600, 2).c_str(),
                  efficiency.c_str(), share.c_str());
    out += line;
  }
  return out;
}

std::string Reporter::Apel() const {
  std::string out;
  if (request_.json) out = "{\"records\":[";
  bool first = true;
  for (const auto& [key, a] : apel_) {
    int64_t y;
    int m, d;
    CivilFromDays(FloorDiv(FloorDiv(request_.start, kMicrosPerSecond), 86400), &y, &m, &d);
    int64_t wall = static_cast<int64_t>(a.sums.wall_seconds);
    int64_t cpu = static_cast<int64_t>(a.sums.cpu_seconds);
    if (request_.json) {
      if (!first) out += ",";
      out += "{\"Site\":";
      AppendJsonString(request_.site, out);
      out += ",\"Month\":" + std::to_string(m) + ",\"Year\":" + std::to_string(y) + ",\"VO\":";
      AppendJsonString(key.vo, out);
      out += ",\"VOGroup\":";
      AppendJsonString(key.group, out);
      out += ",\"Processors\":" + std::to_string(key.cores) + ",\"NodeCount\":1" +
             ",\"EarliestEndTime\":" + std::to_string(a.earliest_end / kMicrosPerSecond) +
             ",\"LatestEndTime\":" + std::to_string(a.latest_end / kMicrosPerSecond) +
             ",\"WallDuration\":" + std::to_string(wall) +
             ",\"CpuDuration\":" + std::to_string(cpu) +
             ",\"NormalisedWallDuration\":" + std::to_string(wall) +
             ",\"NormalisedCpuDuration\":" + std::to_string(cpu) +
             ",\"NumberOfJobs\":" + std::to_string(a.sums.jobs) + "}";
      first = false;
      continue;
    }
    if (first) out += "APEL-summary-job-message: v0.3\n";
    first = false;
    out += "Site: " + request_.site + "\n";
    out += "Month: " + std::to_string(m) + "\nYear: " + std::to_string(y) + "\n";
    out += "VO: " + (key.vo.empty() ? std::string("none") : key.vo) + "\n";
    out += "VOGroup: " + (key.group.empty() ? std::string("none") : key.group) + "\n";
    out += "VORole: Role=NULL\n";
    out += "Infrastructure: Gantry\n";
    out += "EarliestEndTime: " + std::to_string(a.earliest_end / kMicrosPerSecond) + "\n";
    out += "LatestEndTime: " + std::to_string(a.latest_end / kMicrosPerSecond) + "\n";
    out += "Processors: " + std::to_string(key.cores) + "\nNodeCount: 1\n";
    out += "WallDuration: " + std::to_string(wall) + "\nCpuDuration: " + std::to_string(cpu) + "\n";
    // No benchmark is configured: normalised durations equal the raw ones (factor 1).
    out += "NormalisedWallDuration: " + std::to_string(wall) + "\n";
    out += "NormalisedCpuDuration: " + std::to_string(cpu) + "\n";
    out += "NumberOfJobs: " + std::to_string(a.sums.jobs) + "\n%%\n";
  }
  if (request_.json) out += "]}\n";
  return out;
}

std::string Reporter::Finish() const {
  switch (request_.kind) {
    case ReportKind::kApel:
      return Apel();
    case ReportKind::kTopUsers:
      return Table("User", groups_, /*ranked=*/true);
    case ReportKind::kVos:
      return Table("VO", groups_, /*ranked=*/true);
    case ReportKind::kAccounts:
      return Table("Account", groups_, /*ranked=*/true);
    case ReportKind::kUtilization:
      break;
  }
  std::map<std::string, Sums> rows;
  for (const auto& [start, s] : periods_) {
    std::string date = LocalDate(start, request_.tz_offset_seconds);
    rows[request_.period == Period::kMonth ? date.substr(0, 7) : date] = s;
  }
  std::string label = request_.period == Period::kDay    ? "Day"
                      : request_.period == Period::kWeek ? "Week"
                                                         : "Month";
  return Table(label, rows, /*ranked=*/false);
}

}  // namespace gantry::acct
