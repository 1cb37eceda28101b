// gantry acct: accounting records, as sacct shows them (docs/acct.md). The options are
// checked here (so a bad time or field is named before anything is sent) and again by the
// server, which formats the output.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "acct/fields.h"
#include "acct/request.h"
#include "acct/states.h"
#include "base/clock.h"
#include "cli/client.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

int LocalOffset(time_t now) {
  struct tm local;
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff);
}

void PrintFields() {
  for (const acct::FieldInfo& f : acct::AllFields()) {
    std::printf("%-12s %s\n", std::string(f.name).c_str(), std::string(f.help).c_str());
  }
}

Status AddList(std::string_view option, const std::vector<std::string>& given,
               std::vector<std::string>* out) {
  for (const std::string& text : given) {
    GANTRY_ASSIGN_OR_RETURN(std::vector<std::string> items, acct::SplitList(option, text));
    out->insert(out->end(), items.begin(), items.end());
  }
  return {};
}

Result<acct::AcctRequest> Build(const std::vector<std::string>& users,
                                const std::vector<std::string>& accounts,
                                const std::vector<std::string>& vos,
                                const std::vector<std::string>& groups,
                                const std::vector<std::string>& states, const std::string& jobs,
                                const std::string& start, const std::string& end) {
  acct::AcctRequest r;
  GANTRY_RETURN_IF_ERROR(AddList("-u/--user", users, &r.users));
  GANTRY_RETURN_IF_ERROR(AddList("-A/--account", accounts, &r.accounts));
  GANTRY_RETURN_IF_ERROR(AddList("--vo", vos, &r.vos));
  GANTRY_RETURN_IF_ERROR(AddList("--group", groups, &r.groups));
  for (const std::string& s : states) {
    GANTRY_ASSIGN_OR_RETURN(std::vector<std::string> names, acct::ParseStates(s));
    r.states.insert(r.states.end(), names.begin(), names.end());
  }
  if (!jobs.empty()) {
    auto parsed = model::ParseJobList(jobs);
    if (!parsed) return Fail(parsed.error().Wrap("-j/--jobs"));
    r.jobs = *parsed;
    r.jobs_text = jobs;
  }
  time_t now = std::time(nullptr);
  r.tz_offset_seconds = LocalOffset(now);
  GANTRY_ASSIGN_OR_RETURN(
      acct::Window w,
      acct::ResolveWindow(start, end, !jobs.empty(), SystemClock().Now(), r.tz_offset_seconds));
  r.start = w.start;
  r.end = w.end;
  return r;
}

}  // namespace

int RunAcct(int argc, char** argv) {
  std::vector<std::string> users, accounts, vos, groups, states;
  std::string jobs, start, end, format;
  bool all = false, allocations = false, as_json = false, parsable = false, parsable2 = false,
       no_header = false, help_format = false;
  Flags f(
      "gantry acct [-u USER] [-A ACCOUNT] [--vo VO] [--group G] [-S TIME] [-E TIME] "
      "[-s STATES] [-j JOBS] [-o FIELDS] [-X] [-a] [--json | -P | -p] [-n]",
      "Shows what finished jobs used, one line per attempt (as sacct): cores, wall time,\n"
      "core-hours (CPUTime), GPU-hours, CPU time, max RSS, state and exit code, charged\n"
      "to the user, group, VO and account. By default your own attempts that ran since\n"
      "00:00 today; with -j, those jobs whenever they ran. Times (-S/-E) take sacct's\n"
      "formats: YYYY-MM-DD[THH:MM[:SS]], MMDD[YY], MM/DD[/YY], HH:MM[:SS], today, midnight,\n"
      "noon, now[-COUNT[seconds|minutes|hours|days|weeks]]. Others' records need a see-vo\n"
      "or admin rule (docs/security.md). See docs/acct.md.");
  f.Strings("-u,--user,--uid", &users, "USERS", "these users' records (comma-separated)");
  f.Bool("-a,--allusers", &all, "every user's records (that you may see)");
  f.Strings("-A,--account,--accounts", &accounts, "ACCOUNTS", "charged to these accounts");
  f.Strings("--vo", &vos, "VOS", "of these VOs");
  f.Strings("--group", &groups, "GROUPS", "of these groups (/cms/prod)");
  f.String("-S,--starttime", &start, "TIME", "that ran at or after TIME (default: 00:00 today)");
  f.String("-E,--endtime", &end, "TIME", "that ran at or before TIME (default: now)");
  f.Strings("-s,--state", &states, "STATES",
            "that ended so: CD, F, CA, TO, OOM, NF (or the long names)");
  f.String("-j,--jobs", &jobs, "JOBS", "these jobs: 12,13_[1-3]");
  f.String("-o,--format", &format, "FIELDS",
           "the columns: name[%[-]WIDTH],... (default: $SACCT_FORMAT, else " +
               std::string(acct::kDefaultFormat) + ")");
  f.Bool("-e,--helpformat", &help_format, "list the fields --format takes");
  f.Bool("-X,--allocations", &allocations, "one line per job: its attempts summed");
  f.Bool("--json", &as_json, "print JSON: {\"jobs\": [...]}");
  f.Bool("-P,--parsable2", &parsable2, "fields separated by '|', none at the end");
  f.Bool("-p,--parsable", &parsable, "fields separated by '|', one at the end");
  f.Bool("-n,--noheader", &no_header, "no header line");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (help_format) {
    PrintFields();
    return 0;
  }
  if (as_json + parsable + parsable2 > 1) {
    return Report("acct", InvalidArgument("choose one of --json, -P/--parsable2, -p/--parsable"));
  }
  auto request = Build(users, accounts, vos, groups, states, jobs, start, end);
  if (!request) return Report("acct", request.error());
  request->all_users = all;
  request->allocations = allocations;
  request->no_header = no_header;
  if (format.empty()) {
    const char* env = std::getenv("SACCT_FORMAT");
    if (env && *env) format = env;
  }
  if (!format.empty()) request->format_text = format;
  auto fields = acct::ParseFormat(request->format_text);
  if (!fields) return Report("acct", fields.error());
  request->mode = as_json     ? acct::OutputMode::kJson
                  : parsable2 ? acct::OutputMode::kParsable2
                  : parsable  ? acct::OutputMode::kParsable
                              : acct::OutputMode::kTable;
  return PrintGet("acct", "/v1/acct", acct::ToQuery(*request));
}

}  // namespace gantry::cli
