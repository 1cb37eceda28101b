#include "acct/request.h"

#include <charconv>

#include "acct/states.h"
#include "base/strings.h"
#include "submit/begin_time.h"

namespace gantry::acct {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

Result<int64_t> Int(const std::map<std::string, std::string>& q, const std::string& key,
                    int64_t fallback) {
  auto it = q.find(key);
  if (it == q.end()) return fallback;
  int64_t v = 0;
  const std::string& s = it->second;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return Fail(
        InvalidArgument("query parameter '" + key + "' must be a whole number, not '" + s + "'"));
  }
  return v;
}

}  // namespace

Result<std::vector<std::string>> SplitList(std::string_view option, std::string_view text) {
  std::vector<std::string> out;
  for (const std::string& raw : Split(text, ',')) {
    std::string item(Trim(raw));
    if (item.empty()) {
      return Fail(InvalidArgument(std::string(option) + " '" + std::string(text) +
                                  "' has an empty item (items are separated by commas)"));
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<Window> ResolveWindow(std::string_view start_text, std::string_view end_text, bool have_jobs,
                             TimeMicros now, int tz) {
  Window w;
  w.end = now;
  if (!end_text.empty()) {
    auto end = submit::ParsePastTime(end_text, now, tz);
    if (!end) return Fail(end.error().Wrap("-E/--endtime '" + std::string(end_text) + "'"));
    // -E names a whole second, as sacct's times do: records carry microseconds, and an
    // attempt that started at 12:00:00.3 ran "at or before 12:00:00" in sacct's eyes (its
    // times are whole seconds). Without this, `-E now` dropped what started this second.
    w.end = *end + (kMicrosPerSecond - 1);
  }
  if (!start_text.empty()) {
    auto start = submit::ParsePastTime(start_text, now, tz);
    if (!start) {
      return Fail(start.error().Wrap("-S/--starttime '" + std::string(start_text) + "'"));
    }
    w.start = *start;
  } else if (!have_jobs) {
    w.start = *submit::ParsePastTime("today", now, tz);  // 00:00 today, as sacct
  } else {
    w.start = 0;
  }
  if (w.start > w.end) {
    return Fail(InvalidArgument(
        "the start time (-S " + std::string(start_text.empty() ? "today" : start_text) +
        ") is after the end time (-E " + std::string(end_text.empty() ? "now" : end_text) + ")"));
  }
  return w;
}

std::map<std::string, std::string> ToQuery(const AcctRequest& r) {
  std::map<std::string, std::string> q;
  if (!r.users.empty()) q["user"] = Join(r.users);
  if (!r.accounts.empty()) q["account"] = Join(r.accounts);
  if (!r.vos.empty()) q["vo"] = Join(r.vos);
  if (!r.groups.empty()) q["group"] = Join(r.groups);
  if (!r.states.empty()) q["state"] = Join(r.states);
  if (!r.jobs_text.empty()) q["jobs"] = r.jobs_text;
  q["start"] = std::to_string(r.start);
  q["end"] = std::to_string(r.end);
  if (r.all_users) q["all"] = "1";
  if (r.allocations) q["allocations"] = "1";
  if (r.no_header) q["noheader"] = "1";
  q["format"] = r.format_text;
  switch (r.mode) {
    case OutputMode::kTable:
      q["output"] = "table";
      break;
    case OutputMode::kParsable:
      q["output"] = "parsable";
      break;
    case OutputMode::kParsable2:
      q["output"] = "parsable2";
      break;
    case OutputMode::kJson:
      q["output"] = "json";
      break;
  }
  q["tz"] = std::to_string(r.tz_offset_seconds);
  return q;
}

Result<AcctRequest> FromQuery(const std::map<std::string, std::string>& q) {
  AcctRequest r;
  auto list = [&](const std::string& key, std::string_view option,
                  std::vector<std::string>* out) -> Status {
    auto it = q.find(key);
    if (it == q.end()) return {};
    GANTRY_ASSIGN_OR_RETURN(*out, SplitList(option, it->second));
    return {};
  };
  GANTRY_RETURN_IF_ERROR(list("user", "-u/--user", &r.users));
  GANTRY_RETURN_IF_ERROR(list("account", "-A/--account", &r.accounts));
  GANTRY_RETURN_IF_ERROR(list("vo", "--vo", &r.vos));
  GANTRY_RETURN_IF_ERROR(list("group", "--group", &r.groups));
  if (auto it = q.find("state"); it != q.end()) {
    GANTRY_ASSIGN_OR_RETURN(r.states, ParseStates(it->second));
  }
  if (auto it = q.find("jobs"); it != q.end()) {
    r.jobs_text = it->second;
    auto jobs = model::ParseJobList(r.jobs_text);
    if (!jobs) return Fail(jobs.error().Wrap("-j/--jobs"));
    r.jobs = std::move(*jobs);
  }
  GANTRY_ASSIGN_OR_RETURN(r.start, Int(q, "start", 0));
  GANTRY_ASSIGN_OR_RETURN(r.end, Int(q, "end", INT64_MAX));
  if (r.start > r.end) return Fail(InvalidArgument("the start time is after the end time"));
  r.all_users = q.count("all") && q.at("all") == "1";
  r.allocations = q.count("allocations") && q.at("allocations") == "1";
  r.no_header = q.count("noheader") && q.at("noheader") == "1";
  if (auto it = q.find("format"); it != q.end() && !it->second.empty()) {
    r.format_text = it->second;
  }
  GANTRY_ASSIGN_OR_RETURN(r.fields, ParseFormat(r.format_text));
  std::string output = q.count("output") ? q.at("output") : "table";
  if (output == "table") {
    r.mode = OutputMode::kTable;
  } else if (output == "parsable") {
    r.mode = OutputMode::kParsable;
  } else if (output == "parsable2") {
    r.mode = OutputMode::kParsable2;
  } else if (output == "json") {
    r.mode = OutputMode::kJson;
  } else {
    return Fail(
        InvalidArgument("output must be table, parsable, parsable2 or json, not '" + output + "'"));
  }
  GANTRY_ASSIGN_OR_RETURN(int64_t tz, Int(q, "tz", 0));
  if (tz < -86400 || tz > 86400) return Fail(InvalidArgument("tz out of range"));
  r.tz_offset_seconds = static_cast<int>(tz);
  return r;
}

model::UsageFilter FilterFor(const AcctRequest& r, const model::Identity& who) {
  model::UsageFilter f;
  f.users = r.users;
  if (f.users.empty() && !r.all_users && r.jobs.empty() && !who.local_account.empty()) {
    f.users = {who.local_account};
  }
  f.accounts = r.accounts;
  f.vos = r.vos;
  f.groups = r.groups;
  f.states = r.states;
  for (const model::JobSelector& sel : r.jobs) f.job_ids.push_back(sel.id);
  f.start = r.start;
  f.end = r.end;
  f.all_visible = who.grants.admin;
  f.visible_uid = who.uid;
  f.visible_vos = who.grants.see_vos;
  return f;
}

}  // namespace gantry::acct
