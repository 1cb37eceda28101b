// Table-driven conformance: testdata/times.txt (-S/-E time formats) and testdata/format.txt
// (--format fields, widths and the output modes, on fixed sample records).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "acct/request.h"
#include "acct/text_format.h"
#include "acct/writer.h"
#include "base/strings.h"
#include "submit/begin_time.h"

namespace gantry::acct {
namespace {

std::vector<std::string> Lines(const std::string& name) {
  std::ifstream in(std::string(GANTRY_SOURCE_DIR) + "/src/acct/testdata/" + name);
  EXPECT_TRUE(in.good()) << "cannot open testdata/" << name;
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// "2024-03-10T14:30:00Z" -> microseconds.
TimeMicros Utc(const std::string& text) {
  auto t = submit::ParseBeginTime(text.substr(0, text.size() - 1), 0, 0);
  EXPECT_TRUE(t) << text;
  return t.value_or(0);
}

std::string UtcText(TimeMicros t) {
  std::string out;
  DateWriter(0).Append(t, out);
  return out + "Z";
}

TEST(AcctConformanceTest, TimesMatchTimesFile) {
  TimeMicros now = 0;
  int tz = 0;
  int number = 0;
  int cases = 0;
  for (const std::string& line : Lines("times.txt")) {
    ++number;
    if (line.starts_with("#") || line.empty()) continue;
    if (line.starts_with("@now ")) {
      now = Utc(line.substr(5));
      continue;
    }
    if (line.starts_with("@tz ")) {
      tz = std::stoi(line.substr(4));
      continue;
    }
    size_t arrow = line.find("=> ");
    ASSERT_NE(arrow, std::string::npos) << "times.txt:" << number;
    std::string input(Trim(line.substr(0, arrow)));
    std::string expected = line.substr(arrow + 3);
    SCOPED_TRACE("times.txt:" + std::to_string(number) + ": '" + input + "'");
    ++cases;
    // Through the -S option, as gantry acct reads it.
    auto w = ResolveWindow(input.empty() ? " " : input, "", false, now, tz);
    if (expected.starts_with("error: ")) {
      ASSERT_FALSE(w) << "accepted as " << UtcText(w->start);
      EXPECT_EQ(w.error().code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(w.error().message().find(expected.substr(7)), std::string::npos)
          << w.error().message();
      EXPECT_NE(w.error().message().find("-S/--starttime"), std::string::npos);
      continue;
    }
    auto t = submit::ParsePastTime(input, now, tz);
    ASSERT_TRUE(t) << t.error().message();
    EXPECT_EQ(UtcText(*t), expected);
  }
  EXPECT_GT(cases, 30);
}

// The sample records of format.txt (times in UTC).
struct Sample {
  model::UsageRecord r;
};

std::vector<model::UsageRecord> Samples() {
  model::UsageRecord a;
  a.attempt_id = 100;
  a.task_id = a.job_id = 41;
  a.attempt = 1;
  a.user = "alice";
  a.uid = 1000;
  a.group = "/cms/prod";
  a.vo = "cms";
  a.account = "physics";
  a.partition = "batch";
  a.job_name = "sim";
  a.agent = "node1";
  a.submit_time = Utc("2024-03-10T11:59:00Z");
  a.start_time = Utc("2024-03-10T12:00:00Z");
  a.end_time = Utc("2024-03-10T14:00:00Z");
  a.cores = 4;
  a.gpus = 2;
  a.elapsed_seconds = 7200;
  a.user_cpu_seconds = 3600;
  a.system_cpu_seconds = 2.5;
  a.max_rss_kb = 1572864;
  a.state = "COMPLETED";
  model::UsageRecord b;
  b.attempt_id = 101;
  b.job_id = 42;
  b.task_id = 49;
  b.array_index = 7;
  b.attempt = 1;
  b.user = "bob";
  b.uid = 1001;
  b.group = "/cms";
  b.vo = "cms";
  b.account = "/cms";
  b.partition = "batch";
  b.job_name = "analysis-of-the-run-\"x\"";
  b.agent = "node2";
  b.start_time = Utc("2024-03-09T10:00:00Z");
  b.end_time = Utc("2024-03-09T10:00:30Z");
  b.cores = 1;
  b.elapsed_seconds = 30;
  b.user_cpu_seconds = 1.25;
  b.max_rss_kb = 900;
  b.state = "FAILED";
  b.exit_code = 3;
  model::UsageRecord c = b;
  c.attempt_id = 102;
  c.attempt = 2;
  c.agent = "node3";
  c.start_time = Utc("2024-03-09T11:00:00Z");
  c.end_time = Utc("2024-03-10T12:00:05Z");
  c.elapsed_seconds = 90005;
  c.user_cpu_seconds = 0;
  c.max_rss_kb = 0;
  c.state = "NODE_FAIL";
  c.exit_code = 0;
  return {a, b, c};
}

TEST(AcctConformanceTest, OutputMatchesFormatFile) {
  std::vector<std::string> lines = Lines("format.txt");
  int cases = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].starts_with("== ")) continue;
    ++cases;
    std::vector<std::string> words = Split(lines[i].substr(3), ' ');
    ASSERT_GE(words.size(), 2u) << "format.txt:" << i + 1;
    SCOPED_TRACE("format.txt:" + std::to_string(i + 1) + ": " + lines[i]);
    std::map<std::string, std::string> query;
    if (words[0] != "-") query["format"] = words[0];
    if (words[1] == "error") {
      auto r = FromQuery(query);
      ASSERT_FALSE(r);
      ASSERT_LT(i + 1, lines.size());
      EXPECT_NE(r.error().message().find(lines[i + 1]), std::string::npos) << r.error().message();
      continue;
    }
    query["output"] = words[1];
    for (size_t w = 2; w < words.size(); ++w) {
      if (words[w] == "-X") query["allocations"] = "1";
      if (words[w] == "-n") query["noheader"] = "1";
    }
    auto request = FromQuery(query);
    ASSERT_TRUE(request) << request.error().message();
    std::string expected;
    for (size_t j = i + 1; j < lines.size() && !lines[j].empty(); ++j) {
      ASSERT_TRUE(lines[j].ends_with("$")) << "format.txt:" << j + 1 << ": no '$' at the end";
      expected += lines[j].substr(0, lines[j].size() - 1) + "\n";
    }
    AcctWriter writer(*request);
    std::string out;
    writer.Begin(out);
    for (const model::UsageRecord& r : Samples()) writer.Add(r, out);
    writer.Finish(out);
    EXPECT_EQ(out, expected);
  }
  EXPECT_GT(cases, 8);
}

}  // namespace
}  // namespace gantry::acct
