// argv/envp arrays for exec-family calls. Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

namespace gantry {

// Pointers into `strings` (which must outlive the result), followed by nullptr.
inline std::vector<char*> CStringArray(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace gantry
