// Helpers shared by the job commands (q, status, wait, logs...).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/client.h"

namespace gantry::cli {

// Blocks until every job in ids has ended; prints progress unless quiet. Returns the exit
// status a script expects: the highest of the tasks' statuses, where a task's status is its
// exit code, 128+signal if a signal killed it, 1 if it was cancelled (whatever signal that
// took) or failed without running; 0 if all succeeded.
int WaitForJobs(Client& client, const std::vector<std::string>& ids, bool quiet);

// The user's id for a task row: "12", "12_3", or "12_[4-99]" for a row of many tasks.
std::string TaskLabel(const nlohmann::json& task);

// "5-7,9" from sorted indexes.
std::string CompressRanges(std::vector<int64_t> indexes);

// Seconds as squeue prints them: "0:00", "1:02:03", "2-03:04:05".
std::string SqueueTime(int64_t seconds);

}  // namespace gantry::cli
