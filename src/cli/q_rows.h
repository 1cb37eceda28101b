// The lines `gantry q` prints for the server's rows. Pure.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"

namespace gantry::cli {

struct QRow {
  std::string id, partition, name, user, state, time, nodes, reason;
};

// One line per row, except that pending tasks of one array in the same state for the same
// reason fold into one line, "12_[3-5,9]", as squeue prints them; tasks in another state or
// for another reason get lines of their own. Lines keep the order of their first row. Time:
// a running task's from its start to now, a finished one's from start to end (never now).
std::vector<QRow> FoldQueueRows(const nlohmann::json& rows, TimeMicros now);

// The header and the rows as a table of squeue's default columns, cut and padded by display
// width.
std::string FormatQueueTable(const std::vector<QRow>& rows, bool header);

}  // namespace gantry::cli
