// gantry q: squeue.
#include <algorithm>
#include <cstdio>
#include <map>

#include "base/clock.h"
#include "base/strings.h"
#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

struct Row {
  std::string id, partition, name, user, state, time, nodes, reason;
};

std::string Clip(const std::string& s, size_t width) {
  return s.size() <= width ? s : s.substr(0, width);
}

// Pending tasks of one array collapse into one row, as squeue prints "123_[5-99%4]".
std::vector<Row> Rows(const json& jobs) {
  std::vector<Row> rows;
  std::map<int64_t, std::vector<int64_t>> pending_arrays;
  std::map<int64_t, json> first_pending;
  int64_t now = SystemClock().Now();
  for (const json& t : jobs) {
    std::string state = t["state"].get<std::string>();
    bool pending = state == "READY" || state == "WAITING" || state == "HELD" || state == "SUBMITTED";
    // A row of many (an array's untouched tasks) arrives summarised already.
    if (pending && !t["array_index"].is_null() && t.value("count", int64_t{1}) == 1) {
      int64_t job = t["job_id"].get<int64_t>();
      pending_arrays[job].push_back(t["array_index"].get<int64_t>());
      if (!first_pending.count(job)) first_pending[job] = t;
      continue;
    }
    Row r;
    r.id = TaskLabel(t);
    r.partition = t["partition"].get<std::string>();
    r.name = t["name"].get<std::string>();
    r.user = t["owner"].get<std::string>();
    r.state = std::string(state);
    int64_t start = t["start_time"].get<int64_t>(), end = t["end_time"].get<int64_t>();
    // A finished task's time is its recorded run, never counted from the clock.
    int64_t run = start == 0 ? 0 : std::max<int64_t>((end != 0 ? end : now) - start, 0);
    int64_t secs = run / kMicrosPerSecond;
    r.time = SqueueTime(secs);
    r.nodes = "1";
    r.reason = state == "RUNNING" || state == "SCHEDULED" ? "local" : "(" + t["reason"].get<std::string>() + ")";
    if (state == "DONE" || state == "FAILED" || state == "CANCELLED") r.reason = t["reason"].get<std::string>();
    rows.push_back(r);
  }
  for (auto& [job, indexes] : pending_arrays) {
    const json& t = first_pending[job];
    Row r;
    r.id = std::to_string(job) + "_" +
           (indexes.size() == 1 ? std::to_string(indexes[0]) : "[" + CompressRanges(indexes) + "]");
    r.partition = t["partition"].get<std::string>();
    r.name = t["name"].get<std::string>();
    r.user = t["owner"].get<std::string>();
    r.state = t["state"].get<std::string>();
    r.time = "0:00";
    r.nodes = "1";
    r.reason = "(" + t["reason"].get<std::string>() + ")";
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

int RunQ(int argc, char** argv) {
  std::string states, user, name, job;
  bool all = false, as_json = false, noheader = false;
  Flags f("gantry q [OPTIONS]",
          "Lists jobs like squeue: unfinished ones by default, pending array tasks summarised\n"
          "as 12_[3-99]. You see your own jobs (an administrator sees everyone's).");
  f.String("-t,--state", &states, "STATE", "only this state (RUNNING, READY/PD, HELD, DONE, ...)");
  f.String("-u,--user", &user, "USER", "only this user's jobs");
  f.String("-n,--name", &name, "NAME", "only jobs with this name");
  f.String("-j,--job", &job, "JOBID", "only this job (or array)");
  f.Bool("-a,--all", &all, "include finished jobs");
  f.Bool("--noheader", &noheader, "no header line");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  std::string query = "/v1/jobs?all=" + std::string(all ? "1" : "0");
  if (!states.empty()) query += "&state=" + QueryEscape(states);
  if (!user.empty()) query += "&user=" + QueryEscape(user);
  if (!name.empty()) query += "&name=" + QueryEscape(name);
  if (!job.empty()) query += "&job=" + QueryEscape(job);
  auto client = Client::Connect();
  if (!client) return Report("q", client.error());
  auto r = client->Call("GET", query);
  if (!r) return Report("q", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["jobs"].dump(2).c_str());
    return 0;
  }
  if (!noheader) {
    std::printf("%20s %9s %12s %8s %9s %10s %5s %s\n", "JOBID", "PARTITION", "NAME", "USER", "ST",
                "TIME", "NODES", "NODELIST(REASON)");
  }
  for (const Row& row : Rows((*r)["jobs"])) {
    std::printf("%20s %9s %12s %8s %9s %10s %5s %s\n", row.id.c_str(),
                Clip(row.partition, 9).c_str(), Clip(row.name, 12).c_str(),
                Clip(row.user, 8).c_str(), row.state.c_str(), row.time.c_str(), row.nodes.c_str(),
                row.reason.c_str());
  }
  return 0;
}

}  // namespace gantry::cli
