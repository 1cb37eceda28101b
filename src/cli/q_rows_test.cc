#include "cli/q_rows.h"

#include <gtest/gtest.h>

namespace gantry::cli {
namespace {

using nlohmann::json;

constexpr TimeMicros kNow = 1'700'000'100'000'000;

json Row(int64_t id, int64_t job, std::optional<int64_t> index, std::string state,
         std::string reason, int64_t count = 1, std::string indexes = "") {
  return {{"id", id},
          {"job_id", job},
          {"array_index", index ? json(*index) : json(nullptr)},
          {"state", state},
          {"reason", reason},
          {"partition", "local"},
          {"name", "job"},
          {"owner", "alice"},
          {"start_time", 0},
          {"end_time", 0},
          {"count", count},
          {"indexes", indexes.empty() && index ? std::to_string(*index) : indexes}};
}

std::vector<std::string> Ids(const std::vector<QRow>& rows) {
  std::vector<std::string> out;
  for (const QRow& r : rows) out.push_back(r.id + " " + r.state);
  return out;
}

TEST(QRowsTest, FoldsOnlyTasksInTheSameStateForTheSameReason) {
  // Regression (issue 11.11): 1_[1-3] was printed HELD while 1_2 and 1_3 waited for begin.
  json rows = json::array({Row(3, 1, 3, "WAITING", "BeginTime", 1),
                           Row(2, 1, 2, "WAITING", "BeginTime"),
                           Row(1, 1, 1, "HELD", "held by alice")});
  EXPECT_EQ(Ids(FoldQueueRows(rows, kNow)),
            (std::vector<std::string>{"1_[2-3] WAITING", "1_1 HELD"}));
  rows[1]["reason"] = "released by alice; BeginTime";
  EXPECT_EQ(Ids(FoldQueueRows(rows, kNow)),
            (std::vector<std::string>{"1_3 WAITING", "1_2 WAITING", "1_1 HELD"}));
}

TEST(QRowsTest, FoldsARowOfManyWithSingleTasksOfTheSameKind) {
  json rows = json::array({Row(20, 10, 5, "READY", "", 5, "5-9"),
                           Row(11, 10, 1, "READY", ""), Row(12, 10, 2, "RUNNING", ""),
                           Row(13, 10, 3, "READY", "")});
  EXPECT_EQ(Ids(FoldQueueRows(rows, kNow)),
            (std::vector<std::string>{"10_[1,3,5-9] READY", "10_2 RUNNING"}));
}

TEST(QRowsTest, AFinishedTasksTimeNeverComesFromTheClock) {
  json done = Row(5, 5, std::nullopt, "DONE", "exit 0");
  done["start_time"] = kNow - 100 * kMicrosPerSecond;
  done["end_time"] = done["start_time"];  // an instant job
  EXPECT_EQ(FoldQueueRows(json::array({done}), kNow)[0].time, "0:00");
  json running = done;
  running["state"] = "RUNNING";
  EXPECT_EQ(FoldQueueRows(json::array({running}), kNow)[0].time, "1:40");
}

TEST(QRowsTest, TableColumnsAlignByDisplayWidth) {
  json a = Row(1, 1, std::nullopt, "READY", "");
  json b = Row(2, 2, std::nullopt, "READY", "");
  a["name"] = "日本語の長い名前です";
  b["name"] = "plain";
  std::string table = FormatQueueTable(FoldQueueRows(json::array({a, b}), kNow), false);
  size_t newline = table.find('\n');
  std::string first = table.substr(0, newline), second = table.substr(newline + 1);
  // The USER column starts at the same column on both lines.
  auto column_of_user = [](const std::string& line) {
    size_t bytes = line.find("alice");
    int width = 0;
    for (size_t i = 0; i < bytes;) {
      unsigned char c = line[i];
      size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      width += len == 3 ? 2 : 1;  // the CJK characters here are 3 bytes and 2 columns
      i += len;
    }
    return width;
  };
  EXPECT_EQ(column_of_user(first), column_of_user(second)) << table;
  EXPECT_NE(first.find("日本語の長い"), std::string::npos) << table;  // 12 columns of it
  EXPECT_EQ(first.find("日本語の長い名"), std::string::npos) << table;
}

}  // namespace
}  // namespace gantry::cli
