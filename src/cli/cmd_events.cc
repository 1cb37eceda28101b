// gantry events: the job's journal.
#include <cstdio>

#include "base/strings.h"
#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {

int RunEvents(int argc, char** argv) {
  std::vector<std::string> ids;
  bool as_json = false;
  Flags f("gantry events [OPTIONS] JOBID",
          "Prints the journal of a job: every state change in order (by sequence number), with\n"
          "its time, source and reason. For an array, every task's journal in turn.");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&ids, "JOBID", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("events", client.error());
  auto r = client->Call("GET", "/v1/jobs/" + QueryEscape(ids[0]) + "/events");
  if (!r) return Report("events", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["events"].dump(2).c_str());
    return 0;
  }
  std::printf("%-8s %4s %-20s %-14s %-17s %-10s %s\n", "TASK", "SEQ", "TIME", "SOURCE", "TYPE",
              "STATE", "REASON");
  for (const auto& e : (*r)["events"]) {
    std::string task = e.contains("tasks") ? e["tasks"].get<std::string>()
                                           : std::to_string(e["task_id"].get<int64_t>());
    std::printf("%-8s %4lld %-20s %-14s %-17s %-10s %s\n", task.c_str(),
                static_cast<long long>(e["seq"].get<int64_t>()),
                FormatTime(e["time"].get<int64_t>()).c_str(),
                e["source"].get<std::string>().c_str(), e["type"].get<std::string>().c_str(),
                e["state"].get<std::string>().c_str(), e["reason"].get<std::string>().c_str());
  }
  return 0;
}

}  // namespace gantry::cli
