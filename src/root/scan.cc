#include "root/scan.h"

#include "root/fmt.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "root/tree.h"

namespace gantry::root {

Result<ScanResult> ScanTree(const File& file, const std::string& tree_path,
                            const std::vector<std::string>& branches, const ReadOptions& options) {
  GANTRY_ASSIGN_OR_RETURN(Tree tree, ReadTree(file, tree_path));
  ScanResult out;
  int64_t start = std::clamp<int64_t>(options.entry_start, 0, tree.entries);
  int64_t stop = options.entry_stop < 0 ? tree.entries
                                        : std::clamp<int64_t>(options.entry_stop, start,
                                                              tree.entries);
  out.entries = stop - start;
  std::vector<std::string> names = branches;
  if (names.empty()) {
    for (const Branch& b : tree.branches) {
      if (b.type) {
        names.push_back(b.name);
      } else {
        out.skipped.emplace_back(b.name, b.unsupported);
      }
    }
  }
  constexpr size_t kGroup = 16;
  for (size_t at = 0; at < names.size(); at += kGroup) {
    std::vector<std::string> group(names.begin() + at,
                                   names.begin() + std::min(names.size(), at + kGroup));
    GANTRY_ASSIGN_OR_RETURN(std::vector<BranchData> data,
                            ReadBranches(file, tree, group, options, &out.stats));
    for (const BranchData& d : data) out.branches.push_back({d.name, d.count(), d.Sum()});
  }
  return out;
}

namespace {
// 17 significant digits round-trip a double; JSON has no NaN or infinity.
std::string SumText(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

std::string ScanJson(const ScanResult& result) {
  // Written by hand so sums keep all 17 significant digits and branches keep file order.
  std::string s = Fmt("{{\"entries\": {}, \"branches\": {{", result.entries);
  for (size_t i = 0; i < result.branches.size(); ++i) {
    const BranchSummary& b = result.branches[i];
    s += Fmt("{}{}: {{\"count\": {}, \"sum\": {}}}", i ? ", " : "",
                     nlohmann::json(b.name).dump(), b.count, SumText(b.sum));
  }
  s += "}}";
  return s;
}

}  // namespace gantry::root
