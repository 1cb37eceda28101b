// Locates ../shared/data/root (beside the checkout, as CI lays it out; /work/shared for
// worktrees; GANTRY_SHARED_DATA overrides). Test-only.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace gantry::root {

inline std::string SharedRootData() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("GANTRY_SHARED_DATA")) candidates.push_back(std::string(env) + "/root");
  candidates.push_back(std::string(GANTRY_SOURCE_DIR) + "/../shared/data/root");
  candidates.push_back("/work/shared/data/root");
  for (const std::string& c : candidates) {
    if (std::filesystem::exists(c + "/uproot-HZZ-zlib.root")) return c;
  }
  return candidates[1];
}

}  // namespace gantry::root
