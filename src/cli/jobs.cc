#include "cli/jobs.h"

#include <algorithm>
#include <unistd.h>

#include <cstdio>

#include "base/strings.h"
#include "model/state.h"

namespace gantry::cli {

std::string TaskLabel(const nlohmann::json& t) {
  if (t.value("count", int64_t{1}) > 1) {
    return std::to_string(t["job_id"].get<int64_t>()) + "_[" + t["indexes"].get<std::string>() + "]";
  }
  if (t["array_index"].is_null()) return std::to_string(t["id"].get<int64_t>());
  return std::to_string(t["job_id"].get<int64_t>()) + "_" +
         std::to_string(t["array_index"].get<int64_t>());
}

std::string CompressRanges(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(v[i]);
    if (j > i) out += "-" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

std::string SqueueTime(int64_t seconds) {
  if (seconds < 3600) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
    return buf;
  }
  return FormatDuration(seconds);
}

int WaitForJobs(Client& client, const std::vector<std::string>& ids, bool quiet) {
  int status = 0;
  // On a terminal, a progress line while waiting; scripts get only the result lines.
  bool progress = !quiet && isatty(STDERR_FILENO);
  for (const std::string& id : ids) {
    while (true) {
      auto r = client.Call("GET", "/v1/jobs/" + QueryEscape(id) + "/wait?timeout_ms=" +
                                      (progress ? "2000" : "30000"));
      if (!r) return Report("wait", r.error());
      if (!(*r)["ended"].get<bool>()) {
        if (progress) {
          int64_t ended = 0, running = 0, total = 0;
          for (const auto& t : (*r)["tasks"]) {
            std::string state = t["state"].get<std::string>();
            int64_t n = t.value("count", int64_t{1});  // a row may stand for many tasks
            total += n;
            if (model::IsTerminal(*model::ParseState(state))) ended += n;
            if (state == "RUNNING") running += n;
          }
          std::fprintf(stderr, "\rgantry wait: job %s: %lld of %lld task(s) ended, %lld running ",
                       id.c_str(), static_cast<long long>(ended), static_cast<long long>(total),
                       static_cast<long long>(running));
        }
        continue;
      }
      if (progress) std::fprintf(stderr, "\r\033[K");
      for (const auto& t : (*r)["tasks"]) {
        int code = t["exit_code"].get<int>();
        int sig = t["signal"].get<int>();
        std::string state = t["state"].get<std::string>();
        int task_status = state == "CANCELLED" ? 1
                          : sig                ? 128 + sig
                          : code > 0           ? code
                                               : (state == "DONE" ? 0 : 1);
        status = std::max(status, task_status);
        if (!quiet) {
          std::printf("%s %s", TaskLabel(t).c_str(), state.c_str());
          if (state != "DONE") std::printf(" (%s)", t["reason"].get<std::string>().c_str());
          std::printf("\n");
        }
      }
      break;
    }
  }
  return std::min(status, 255);
}

}  // namespace gantry::cli
