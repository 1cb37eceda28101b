// Finds ../shared/data (beside the checkout as CI lays it out; /work/shared for worktrees;
// GANTRY_SHARED_DATA overrides). Test-only.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace gantry::analysis {

inline std::string SharedData() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("GANTRY_SHARED_DATA")) candidates.emplace_back(env);
  candidates.push_back(std::string(GANTRY_SOURCE_DIR) + "/../shared/data");
  candidates.push_back("/work/shared/data");
  for (const std::string& c : candidates) {
    if (std::filesystem::exists(c + "/agc/nanoaod_inputs.json")) return c;
  }
  return candidates[0];
}

}  // namespace gantry::analysis
