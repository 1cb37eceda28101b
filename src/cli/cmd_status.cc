// gantry status: everything known about a job, like scontrol show job, plus why it waits.
#include <cstdio>

#include "base/strings.h"
#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

std::string When(int64_t micros) { return micros ? FormatTime(micros) : "-"; }

void PrintTask(const json& t) {
  const json& spec = t["spec"];
  std::printf("JobId=%s Name=%s\n", TaskLabel(t).c_str(), t["name"].get<std::string>().c_str());
  if (int64_t n = t.value("count", int64_t{1}); n > 1) {
    std::printf("  Tasks=%lld (not started yet; they share the state below)\n",
                static_cast<long long>(n));
  }
  std::printf("  User=%s(%u) Partition=%s Account=%s\n", t["owner"].get<std::string>().c_str(),
              t["owner_uid"].get<unsigned>(), t["partition"].get<std::string>().c_str(),
              spec["account"].get<std::string>().c_str());
  std::printf("  State=%s Reason=%s\n", t["state"].get<std::string>().c_str(),
              t["reason"].get<std::string>().c_str());
  std::string why = t["why"].get<std::string>();
  if (!why.empty()) std::printf("  Why not running: %s\n", why.c_str());
  std::printf("  ExitCode=%d:%d Attempts=%lld DeepRetries=%lld MaxRetries=%lld\n",
              t["exit_code"].get<int>(), t["signal"].get<int>(),
              static_cast<long long>(t["attempts"].get<int64_t>()),
              static_cast<long long>(t["deep_retries"].get<int64_t>()),
              static_cast<long long>(spec["max_retries"].get<int64_t>()));
  int64_t limit = spec["time_limit_seconds"].get<int64_t>();
  std::printf("  SubmitTime=%s StartTime=%s EndTime=%s TimeLimit=%s\n",
              When(t["submit_time"].get<int64_t>()).c_str(),
              When(t["start_time"].get<int64_t>()).c_str(),
              When(t["end_time"].get<int64_t>()).c_str(),
              limit ? FormatDuration(limit).c_str() : "UNLIMITED");
  std::printf("  NumTasks=%lld CPUs/Task=%lld Memory=%lldM\n",
              static_cast<long long>(spec["ntasks"].get<int64_t>()),
              static_cast<long long>(spec["cpus_per_task"].get<int64_t>()),
              static_cast<long long>(spec["memory_mb"].get<int64_t>()));
  std::printf("  WorkDir=%s SubmitDir=%s\n", spec["working_dir"].get<std::string>().c_str(),
              spec["submit_dir"].get<std::string>().c_str());
  if (!spec["dependencies"].empty()) std::printf("  Dependency=%s\n", spec["dependencies"].dump().c_str());
  for (const json& a : t["attempt_list"]) {
    const json& u = a["usage"];
    std::printf("  Attempt %lld on %s: %s, %s; user %.2fs sys %.2fs wall %.2fs maxrss %lldK\n",
                static_cast<long long>(a["number"].get<int64_t>()),
                a["agent"].get<std::string>().c_str(), a["state"].get<std::string>().c_str(),
                a["reason"].get<std::string>().empty() ? "running"
                                                       : a["reason"].get<std::string>().c_str(),
                u["user_cpu_seconds"].get<double>(), u["system_cpu_seconds"].get<double>(),
                u["wall_seconds"].get<double>(),
                static_cast<long long>(u["max_rss_kb"].get<int64_t>()));
    if (!a["stdout_path"].get<std::string>().empty()) {
      std::printf("    StdOut=%s StdErr=%s\n", a["stdout_path"].get<std::string>().c_str(),
                  a["stderr_path"].get<std::string>().c_str());
    }
  }
}

}  // namespace

int RunStatus(int argc, char** argv) {
  std::vector<std::string> ids;
  bool as_json = false;
  Flags f("gantry status [OPTIONS] JOBID...",
          "Shows everything known about jobs: state, why one is not running yet, limits, and\n"
          "each attempt with its exit status and resource usage.");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&ids, "JOBID", 1, 1000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("status", client.error());
  json all = json::array();
  int rc = 0;
  for (const std::string& id : ids) {
    auto r = client->Call("GET", "/v1/jobs/" + QueryEscape(id));
    if (!r) {
      rc = Report("status", r.error());
      continue;
    }
    for (const json& t : (*r)["tasks"]) {
      if (as_json) all.push_back(t);
      else PrintTask(t);
    }
  }
  if (as_json) std::printf("%s\n", all.dump(2).c_str());
  return rc;
}

}  // namespace gantry::cli
