// gantry report: accounting summaries, as sreport (docs/acct.md "gantry report").
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <string>

#include "acct/report.h"
#include "acct/request.h"
#include "acct/text_format.h"
#include "base/clock.h"
#include "cli/client.h"
#include "cli/flags.h"
#include "submit/begin_time.h"

namespace gantry::cli {
namespace {

int LocalOffset(time_t now) {
  struct tm local;
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff);
}

// "2026-11" -> [the 1st 00:00 UTC, the month's last microsecond] (APEL months are UTC).
Result<acct::Window> MonthWindow(const std::string& month, TimeMicros now) {
  std::string text = month;
  if (text.empty()) {
    std::string today;
    acct::DateWriter(0).Append(now, today);
    text = today.substr(0, 7);
  }
  auto start = submit::ParsePastTime(text + "-01", now, 0);
  if (text.size() != 7 || text[4] != '-' || !start) {
    return Fail(InvalidArgument("--month '" + month + "': expected YYYY-MM, e.g. 2026-11"));
  }
  TimeMicros next =
      acct::PeriodStart(*start + 32 * 86400 * kMicrosPerSecond, acct::Period::kMonth, 0);
  // The window is inclusive: its last microsecond, not its last whole second (an attempt
  // that ended at 23:59:59.5 on the last day belongs to this month).
  return acct::Window{*start, next - 1};
}

}  // namespace

int RunReport(int argc, char** argv) {
  std::vector<std::string> kind;
  std::string start, end, per = "day", month, site;
  int64_t limit = 10;
  bool as_json = false;
  Flags f(
      "gantry report utilization|top|vo|account|apel [-S TIME] [-E TIME] [--per day|week|month] "
      "[-n N] [--month YYYY-MM] [--site NAME] [--json]",
      "Sums of what finished jobs used (as sreport), over the records you may see (your\n"
      "own; a VO's with a see-vo rule; all for admins), clipped to the window:\n"
      "  utilization  allocated core-hours, GPU-hours, CPU-hours and CPU efficiency per\n"
      "               day, week (from Monday) or month (--per)\n"
      "  top          the users with the most core-hours (-n, default 10)\n"
      "  vo, account  core-hours per VO, per account\n"
      "  apel         one month per VO, group and job size as APEL summary records\n"
      "               (--month, default this one; --site, default the host name)\n"
      "-S/-E take gantry acct's formats; default: 00:00 yesterday to 00:00 today.");
  f.Positionals(&kind, "REPORT", 1, 1);
  f.String("-S,--starttime", &start, "TIME", "from TIME (default: 00:00 yesterday)");
  f.String("-E,--endtime", &end, "TIME", "until TIME (default: 00:00 today)");
  f.String("--per", &per, "PERIOD", "utilization per day, week or month");
  f.Int("-n,--top", &limit, "N", "how many users 'top' lists");
  f.String("--month", &month, "YYYY-MM", "the month of 'apel'");
  f.String("--site", &site, "NAME", "APEL's Site (default: the host name)");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto parsed_kind = acct::ParseReportKind(kind[0]);
  if (!parsed_kind) return Report("report", parsed_kind.error());
  auto period = acct::ParsePeriod(per);
  if (!period) return Report("report", period.error());
  acct::ReportRequest request;
  request.kind = *parsed_kind;
  request.period = *period;
  request.limit = limit;
  request.json = as_json;
  TimeMicros now = SystemClock().Now();
  request.tz_offset_seconds = LocalOffset(now / kMicrosPerSecond);
  if (request.kind == acct::ReportKind::kApel) {
    auto w = MonthWindow(month, now);
    if (!w) return Report("report", w.error());
    request.start = w->start;
    request.end = w->end;
    if (site.empty()) {
      char host[256] = {};
      gethostname(host, sizeof host - 1);
      site = host;
    }
    request.site = site;
  } else {
    auto w = acct::ResolveWindow(start.empty() ? "now-1day" : start, end.empty() ? "today" : end,
                                 false, now, request.tz_offset_seconds);
    if (!w) return Report("report", w.error());
    request.start = w->start;
    if (start.empty()) {
      request.start = acct::PeriodStart(w->start, acct::Period::kDay, request.tz_offset_seconds);
    }
    request.end = w->end;
    if (end.empty()) {
      // 00:00 today itself, not its whole second: the default window is whole days.
      request.end = acct::PeriodStart(now, acct::Period::kDay, request.tz_offset_seconds);
    }
  }
  return PrintGet("report", "/v1/report", acct::ReportToQuery(request));
}

}  // namespace gantry::cli
