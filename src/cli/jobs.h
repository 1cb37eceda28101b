// Helpers shared by the job commands (q, status, wait, logs...).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/client.h"

namespace gantry::cli {

// `gantry wait` (and `submit -W`) leaves with this when the server cannot be reached, or stays
// away longer than the reconnect timeout: the jobs' outcome is unknown (EX_TEMPFAIL: waiting
// again later can tell). Never 1, which says a job failed.
constexpr int kExitServerAway = 75;

enum class Output { kProgress, kQuiet };

struct WaitOptions {
  Output output = Output::kProgress;
  // How long to keep trying when the server goes away (a restart) before giving up.
  std::chrono::seconds reconnect_timeout{300};
};

// Blocks until every job in ids has ended; prints progress unless quiet. When the server
// goes away it says so on stderr, reconnects (a new Client) and waits on, for up to
// reconnect_timeout (10 s at most for a server that never answered: there may be none). Returns the exit status a script expects: the highest of the tasks'
// statuses, where a task's status is its exit code, 128+signal if a signal killed it, 1 if
// it was cancelled (whatever signal that took) or failed without running; 0 if all
// succeeded; kExitServerAway if the server could not be reached.
int WaitForJobs(Client& client, const std::vector<std::string>& ids, const WaitOptions& options);

// The user's id for a task row: "12", "12_3", or "12_[4-99]" for a row of many tasks.
std::string TaskLabel(const nlohmann::json& task);

// "5-7,9" from sorted indexes.
std::string CompressRanges(std::vector<int64_t> indexes);

// Seconds as squeue prints them: "0:00", "1:02:03", "2-03:04:05".
std::string SqueueTime(int64_t seconds);

}  // namespace gantry::cli
