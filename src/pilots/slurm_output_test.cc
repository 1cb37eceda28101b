#include "pilots/slurm_output.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/strings.h"

namespace gantry::pilots {
namespace {

struct Case {
  int line = 0;  // where it starts in the file
  std::string kind;
  std::string input;
  std::vector<std::string> expected;
};

std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("== ", 0) == 0) {
      cases.push_back({number, line.substr(3), "", {}});
    } else if (cases.empty() || (line.rfind("#", 0) == 0 && cases.back().expected.empty() &&
                                 cases.back().input.empty())) {
      continue;
    } else if (line.rfind("=> ", 0) == 0 || line == "=>") {
      std::string want(Trim(line.substr(2)));
      if (!want.empty()) cases.back().expected.push_back(want);
    } else if (cases.back().expected.empty()) {
      cases.back().input += line + "\n";
    }
  }
  return cases;
}

TEST(SlurmOutputTest, ConformanceFile) {
  auto cases = ReadCases(std::string(GANTRY_SOURCE_DIR) + "/src/pilots/testdata/squeue.txt");
  ASSERT_GE(cases.size(), 10u);
  for (const Case& c : cases) {
    SCOPED_TRACE("case at testdata/squeue.txt:" + std::to_string(c.line));
    ASSERT_TRUE(c.kind == "squeue" || c.kind == "sacct") << c.kind;
    auto parsed = c.kind == "squeue" ? ParseSqueue(c.input) : ParseSacct(c.input);
    if (!c.expected.empty() && c.expected[0].rfind("error: ", 0) == 0) {
      ASSERT_FALSE(parsed.has_value());
      EXPECT_NE(parsed.error().message().find(c.expected[0].substr(7)), std::string::npos)
          << parsed.error().message();
      continue;
    }
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    std::vector<std::string> got;
    for (const auto& [id, info] : *parsed) {
      got.push_back(id + " " + std::string(SlurmPhaseName(info.phase)) + " " + info.state + " " +
                    info.reason);
    }
    // Ids sort as strings in the map; the file lists them in that order.
    EXPECT_EQ(got, c.expected);
  }
}

TEST(SlurmOutputTest, SbatchParsableGivesTheJobId) {
  EXPECT_EQ(ParseSbatchParsable("42\n").value(), "42");
  EXPECT_EQ(ParseSbatchParsable("42;gantrybench\n").value(), "42");
  EXPECT_EQ(ParseSbatchParsable("  7  ").value(), "7");
}

TEST(SlurmOutputTest, SbatchParsableRefusesWhatIsNotAnId) {
  EXPECT_FALSE(ParseSbatchParsable(""));
  EXPECT_FALSE(ParseSbatchParsable("Submitted batch job 42"));
  EXPECT_FALSE(ParseSbatchParsable("42_3"));
  auto bad = ParseSbatchParsable("sbatch: error: invalid partition");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("not a job id"), std::string::npos);
}

TEST(SlurmOutputTest, StatesWithTrailingWordsCountAsTheirFirst) {
  EXPECT_EQ(ParseSlurmState("CANCELLED by 1000").value(), SlurmPhase::kEnded);
  EXPECT_EQ(ParseSlurmState("PENDING").value(), SlurmPhase::kQueued);
  EXPECT_FALSE(ParseSlurmState("pending"));  // SLURM prints upper case only
  EXPECT_FALSE(ParseSlurmState(""));
}

}  // namespace
}  // namespace gantry::pilots
