// Runs every case in src/classad/testdata/*.txt (format: testdata/README.md) and reports
// the file:line of each failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "classad/eval.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

std::string_view TrimText(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

struct Counts {
  int cases = 0;
  int failures = 0;
};

void RunFile(const std::filesystem::path& path, Counts& counts) {
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string line;
  int line_number = 0;
  ClassAd my, target;
  bool have_my = false, have_target = false;
  std::string name = path.filename().string();
  while (std::getline(in, line)) {
    ++line_number;
    std::string_view text = TrimText(line);
    if (text.empty() || text[0] == '#') continue;
    std::string where = name + ":" + std::to_string(line_number);
    if (text.starts_with("@my ") || text.starts_with("@target ")) {
      bool is_my = text.starts_with("@my ");
      auto ad = ParseClassAd(text.substr(is_my ? 4 : 8));
      if (!ad) {
        ADD_FAILURE() << where << ": bad ad: " << ad.error().message();
        ++counts.failures;
        continue;
      }
      (is_my ? my : target) = std::move(*ad);
      (is_my ? have_my : have_target) = true;
      continue;
    }
    if (text == "@reset") {
      my = ClassAd();
      target = ClassAd();
      have_my = have_target = false;
      continue;
    }
    size_t arrow = text.rfind(" => ");
    if (arrow == std::string_view::npos) {
      ADD_FAILURE() << where << ": no ' => ' in case";
      ++counts.failures;
      continue;
    }
    std::string_view expr_text = TrimText(text.substr(0, arrow));
    std::string_view expected = TrimText(text.substr(arrow + 4));
    ++counts.cases;
    auto expr = ParseExpr(expr_text);
    std::string actual;
    if (!expr) {
      actual = "parse-error";
    } else {
      EvalOptions options{.now_seconds = 1700000000, .random_seed = 7};
      actual = Unparse(Evaluate(**expr, have_my ? &my : nullptr,
                                have_target ? &target : nullptr, options));
      // Canonical text must parse back to the same value.
      auto again = ParseExpr(actual);
      if (!again) {
        ADD_FAILURE() << where << ": canonical text '" << actual << "' does not parse";
        ++counts.failures;
      } else if (Unparse(Evaluate(**again, nullptr)) != actual) {
        ADD_FAILURE() << where << ": canonical text '" << actual << "' does not round-trip";
        ++counts.failures;
      }
    }
    if (actual != expected) {
      ADD_FAILURE() << where << ": " << expr_text << "\n  expected: " << expected
                    << "\n  actual:   " << actual
                    << (expr ? "" : "\n  parse error: " + expr.error().message());
      ++counts.failures;
    }
  }
}

TEST(ConformanceTest, EveryTestdataCasePasses) {
  std::filesystem::path dir = std::filesystem::path(GANTRY_SOURCE_DIR) / "src/classad/testdata";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  Counts counts;
  for (const auto& f : files) RunFile(f, counts);
  EXPECT_GT(counts.cases, 300);
  std::cout << counts.cases << " conformance cases in " << files.size() << " files, "
            << counts.failures << " failures\n";
}

}  // namespace
}  // namespace gantry::classad
