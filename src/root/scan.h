// `gantry root scan`: a tree's entry count and, per branch, how many values it holds and their
// sum. Reads the branches a few at a time so memory stays bounded on large files.
// Thread-safe (a function of its arguments).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "root/file.h"
#include "root/reader.h"

namespace gantry::root {

struct BranchSummary {
  std::string name;
  int64_t count = 0;
  double sum = 0;
};

struct ScanResult {
  int64_t entries = 0;
  std::vector<BranchSummary> branches;
  std::vector<std::pair<std::string, std::string>> skipped;  // branch, why (when none named)
  ReadStats stats;
};

// branches empty: every readable branch (the others are listed in skipped).
Result<ScanResult> ScanTree(const File& file, const std::string& tree_path,
                            const std::vector<std::string>& branches,
                            const ReadOptions& options = {});

// {"entries": N, "branches": {"Jet_pt": {"count": C, "sum": S}, ...}}, sums with 17 digits.
std::string ScanJson(const ScanResult& result);

}  // namespace gantry::root
