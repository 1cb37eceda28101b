// `gantry report` (sreport): accounting records summed per period, per user, per VO, per
// account, and the monthly per-VO summary in APEL's summary-record shape. Records are fed one
// at a time (a month may hold millions); nothing is kept per record. Pure, thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "model/usage_record.h"

namespace gantry::acct {

enum class ReportKind { kUtilization, kTopUsers, kVos, kAccounts, kApel };
enum class Period { kDay, kWeek, kMonth };

struct ReportRequest {
  ReportKind kind = ReportKind::kUtilization;
  TimeMicros start = 0;
  TimeMicros end = INT64_MAX;
  Period period = Period::kDay;  // utilization
  int64_t limit = 10;            // top users
  std::string site;              // APEL's Site
  bool json = false;
  int tz_offset_seconds = 0;  // periods are local days, weeks (from Monday) and months
};

// As the query string of GET /v1/report, and back (every value checked).
std::map<std::string, std::string> ReportToQuery(const ReportRequest& request);
Result<ReportRequest> ReportFromQuery(const std::map<std::string, std::string>& query);
// "utilization", "top", "vo", "account", "apel"; "day", "week", "month".
Result<ReportKind> ParseReportKind(std::string_view text);
Result<Period> ParsePeriod(std::string_view text);

// The start of the local calendar period holding t.
TimeMicros PeriodStart(TimeMicros t, Period period, int tz_offset_seconds);

class Reporter {
 public:
  explicit Reporter(ReportRequest request) : request_(std::move(request)) {}
  void Add(const model::UsageRecord& record);
  // The report: a table, APEL records, or JSON.
  std::string Finish() const;

 private:
  struct Sums {
    int64_t jobs = 0;
    double core_seconds = 0;
    double gpu_seconds = 0;
    double cpu_seconds = 0;   // user + system
    double wall_seconds = 0;  // elapsed
  };
  // APEL groups by VO, group and size.
  struct ApelKey {
    std::string vo, group;
    int64_t cores;
    auto operator<=>(const ApelKey&) const = default;
  };
  struct ApelSums {
    Sums sums;
    TimeMicros earliest_end = INT64_MAX;
    TimeMicros latest_end = 0;
  };
  void AddClipped(const model::UsageRecord& r, TimeMicros from, TimeMicros to, Sums& s) const;
  std::string Table(const std::string& label, const std::map<std::string, Sums>& rows,
                    bool ranked) const;
  std::string Apel() const;

  ReportRequest request_;
  std::map<TimeMicros, Sums> periods_;
  std::map<std::string, Sums> groups_;  // by user, VO or account
  std::map<ApelKey, ApelSums> apel_;
  Sums total_;
};

}  // namespace gantry::acct
