#include "cli/jobs.h"

#include <algorithm>
#include <unistd.h>

#include <cstdio>
#include <thread>
#include <utility>

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

namespace {

constexpr std::chrono::seconds kFirstContactTimeout{10};

int TaskStatus(const nlohmann::json& t) {
  int code = t["exit_code"].get<int>();
  int sig = t["signal"].get<int>();
  std::string state = t["state"].get<std::string>();
  return state == "CANCELLED" ? 1 : sig ? 128 + sig : code > 0 ? code : (state == "DONE" ? 0 : 1);
}

void PrintProgress(const std::string& id, const nlohmann::json& tasks) {
  int64_t ended = 0, running = 0, total = 0;
  for (const auto& t : tasks) {
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

}  // namespace

int WaitForJobs(Client& client, const std::vector<std::string>& ids, const WaitOptions& options) {
  using Clock = std::chrono::steady_clock;
  bool quiet = options.output == Output::kQuiet;
  int status = 0;
  // On a terminal, a progress line while waiting; scripts get only the result lines.
  bool progress = !quiet && isatty(STDERR_FILENO);
  const char* clear_line = progress ? "\r\033[K" : "";
  bool away = false;  // the server has not answered since away_since
  Clock::time_point away_since{};
  // A server never reached may not exist: it gets a short grace (it may be starting).
  bool answered = false;
  for (const std::string& id : ids) {
    while (true) {
      auto asked = Clock::now();
      // The first question returns at once, so a server is known to exist from then on.
      auto r = client.Call("GET", "/v1/jobs/" + QueryEscape(id) + "/wait?timeout_ms=" +
                                      (!answered ? "0" : progress ? "2000" : "30000"));
      if (!r && r.error().code() == ErrorCode::kUnavailable) {
        // The server went away (a restart, say): the job lives on, so wait for it to return,
        // as sbatch --wait keeps polling, but not forever.
        auto now = Clock::now();
        auto limit = answered ? options.reconnect_timeout
                              : std::min(options.reconnect_timeout, kFirstContactTimeout);
        if (!away) {
          away = true;
          away_since = now;
          std::fprintf(stderr,
                       "%sgantry wait: the server is not answering (%s); trying again for up "
                       "to %lld s (--reconnect-timeout)\n",
                       clear_line, r.error().message().c_str(),
                       static_cast<long long>(limit.count()));
        }
        if (now - away_since >= limit) {
          std::fprintf(stderr,
                       "gantry wait: the server did not answer within %lld s; job %s may "
                       "still run (exit status %d: outcome unknown)\n",
                       static_cast<long long>(limit.count()), id.c_str(), kExitServerAway);
          return kExitServerAway;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        // A fresh client: a restarted server may have a new token.
        if (auto fresh = Client::Connect()) client = std::move(*fresh);
        continue;
      }
      if (!r) return Report("wait", r.error());
      bool answered_before = std::exchange(answered, true);
      if (away) {
        std::fprintf(stderr, "gantry wait: the server is back; still waiting for job %s\n",
                     id.c_str());
        away = false;
      }
      if (!(*r)["ended"].get<bool>()) {
        if (progress) PrintProgress(id, (*r)["tasks"]);
        // An early answer that is not the end (but for the first): the server is shutting
        // down. Do not spin.
        if (answered_before && Clock::now() - asked < std::chrono::milliseconds(100)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        continue;
      }
      if (progress) std::fprintf(stderr, "%s", clear_line);
      for (const auto& t : (*r)["tasks"]) {
        status = std::max(status, TaskStatus(t));
        if (!quiet) {
          std::string state = t["state"].get<std::string>();
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
