// Table-driven conformance tests: each testdata/*.txt line is "INPUT => EXPECTED", where
// EXPECTED is "error: SUBSTRING" for inputs that must be refused.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "submit/array_spec.h"
#include "submit/begin_time.h"
#include "submit/constraint.h"
#include "submit/dependency.h"
#include "submit/filename_pattern.h"
#include "submit/memory.h"
#include "submit/time_limit.h"

namespace gantry::submit {
namespace {

struct Case {
  int line = 0;
  std::string input;
  std::string expected;
};

std::vector<Case> ReadCases(const std::string& name) {
  std::ifstream in(std::string(GANTRY_SOURCE_DIR) + "/src/submit/testdata/" + name);
  EXPECT_TRUE(in.good()) << "cannot open testdata/" << name;
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t arrow = line.find(" => ");
    if (line[0] == '@') arrow = line.find(' ');
    EXPECT_NE(arrow, std::string::npos) << name << ":" << number << ": no ' => '";
    if (arrow == std::string::npos) continue;
    size_t skip = line[0] == '@' ? 1 : 4;
    cases.push_back({number, line.substr(0, arrow), line.substr(arrow + skip)});
  }
  EXPECT_FALSE(cases.empty()) << name;
  return cases;
}

bool WantsError(const Case& c) { return c.expected.starts_with("error: "); }

// Checks a result against "error: ..." or hands the value to `check`.
template <typename T, typename Check>
void Expect(const std::string& file, const Case& c, const Result<T>& r, Check check) {
  SCOPED_TRACE(file + ":" + std::to_string(c.line) + ": '" + c.input + "'");
  if (WantsError(c)) {
    ASSERT_FALSE(r.has_value()) << "accepted, expected " << c.expected;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(c.expected.substr(7)), std::string::npos)
        << "message: " << r.error().message();
    return;
  }
  ASSERT_TRUE(r.has_value()) << r.error().message();
  check(*r);
}

TEST(ConformanceTest, TimeLimitsMatchTimeFormatsFile) {
  for (const Case& c : ReadCases("time_formats.txt")) {
    Expect("time_formats.txt", c, ParseTimeLimit(c.input),
           [&](int64_t seconds) { EXPECT_EQ(std::to_string(seconds), c.expected); });
  }
}

TEST(ConformanceTest, ConstraintsMatchConstraintsFile) {
  for (const Case& c : ReadCases("constraints.txt")) {
    Expect("constraints.txt", c, ConstraintToRequirements(c.input),
           [&](const std::string& requirements) { EXPECT_EQ(requirements, c.expected); });
  }
}

TEST(ConformanceTest, MemorySizesMatchMemoryFile) {
  for (const Case& c : ReadCases("memory.txt")) {
    Expect("memory.txt", c, ParseMemory(c.input),
           [&](int64_t mb) { EXPECT_EQ(std::to_string(mb), c.expected); });
  }
}

std::string DescribeIds(const std::vector<int64_t>& ids) {
  bool contiguous = ids.size() > 8;
  for (size_t i = 1; contiguous && i < ids.size(); ++i) contiguous = ids[i] == ids[i - 1] + 1;
  if (contiguous) {
    return "#" + std::to_string(ids.size()) + " " + std::to_string(ids.front()) + ".." +
           std::to_string(ids.back());
  }
  std::vector<std::string> parts;
  for (int64_t id : ids) parts.push_back(std::to_string(id));
  return Join(parts, ",");
}

TEST(ConformanceTest, ArraySpecsMatchArraysFile) {
  for (const Case& c : ReadCases("arrays.txt")) {
    Expect("arrays.txt", c, ParseArraySpec(c.input), [&](const model::ArraySpec& spec) {
      std::string got = DescribeIds(spec.task_ids);
      if (spec.max_concurrent != 0) got += " %" + std::to_string(spec.max_concurrent);
      EXPECT_EQ(got, c.expected);
      EXPECT_EQ(spec.text, c.input);
    });
  }
}

std::string TypeName(model::DependencyType type) {
  switch (type) {
    case model::DependencyType::kAfter:
      return "after";
    case model::DependencyType::kAfterOk:
      return "afterok";
    case model::DependencyType::kAfterAny:
      return "afterany";
    case model::DependencyType::kAfterNotOk:
      return "afternotok";
    case model::DependencyType::kSingleton:
      return "singleton";
  }
  return "?";
}

TEST(ConformanceTest, DependenciesMatchDependenciesFile) {
  for (const Case& c : ReadCases("dependencies.txt")) {
    Expect("dependencies.txt", c, ParseDependency(c.input), [&](const DependencyList& list) {
      std::string got = list.clauses.empty() ? "none" : (list.any ? "any" : "all");
      for (const model::Dependency& d : list.clauses) {
        got += " " + TypeName(d.type);
        for (const std::string& id : d.job_ids) got += ":" + id;
      }
      EXPECT_EQ(got, c.expected);
    });
  }
}

TEST(ConformanceTest, BeginTimesMatchBeginFile) {
  TimeMicros now = 0;
  int tz = 0;
  for (const Case& c : ReadCases("begin.txt")) {
    if (c.input == "@now") {
      // "2024-03-10T14:30:00Z": parse by round trip through FormatTime's format.
      std::tm tm{};
      std::istringstream in(c.expected);
      in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
      ASSERT_FALSE(in.fail()) << c.expected;
      now = static_cast<TimeMicros>(timegm(&tm)) * kMicrosPerSecond + 123'456;
      ASSERT_EQ(FormatTime(now), c.expected);
      continue;
    }
    if (c.input == "@tz") {
      tz = static_cast<int>(ParseInt(c.expected).value());
      continue;
    }
    Expect("begin.txt", c, ParseBeginTime(c.input, now, tz), [&](TimeMicros t) {
      EXPECT_EQ(t % kMicrosPerSecond, 0);
      EXPECT_EQ(FormatTime(t), c.expected);
    });
  }
}

TEST(ConformanceTest, FilenamePatternsMatchFilenamePatternsFile) {
  for (const Case& c : ReadCases("filename_patterns.txt")) {
    SCOPED_TRACE("filename_patterns.txt:" + std::to_string(c.line));
    std::vector<std::string> f = Split(c.input, '|');
    ASSERT_EQ(f.size(), 6u);
    JobIds ids;
    ids.job_id = ParseInt(Trim(f[1])).value();
    ids.array_job_id = ParseInt(Trim(f[2])).value();
    if (Trim(f[3]) != "-") ids.array_task_id = ParseInt(Trim(f[3])).value();
    EXPECT_EQ(ExpandFilenamePattern(Trim(f[0]), ids, Trim(f[4]), Trim(f[5])), c.expected);
  }
}

}  // namespace
}  // namespace gantry::submit
