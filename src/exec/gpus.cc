#include "exec/gpus.h"

#include <stdio.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "base/strings.h"

namespace gantry::exec {
namespace {

constexpr int kMaxGpuId = 1023;

Result<int> ParseId(std::string_view text, std::string_view whole) {
  int value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > kMaxGpuId) {
    return Fail(InvalidArgument("bad GPU id '" + std::string(text) + "' in '" +
                                std::string(whole) + "' (expected 0-" +
                                std::to_string(kMaxGpuId) + ")"));
  }
  return value;
}

Result<std::vector<int>> Sorted(std::vector<int> ids, std::string_view whole) {
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    return Fail(InvalidArgument("GPU ids repeat in '" + std::string(whole) + "'"));
  }
  return ids;
}

}  // namespace

Result<std::vector<int>> ParseGpuDeclaration(std::string_view text) {
  text = Trim(text);
  std::vector<int> ids;
  if (text.find_first_of(",-") == std::string_view::npos) {
    int count = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || count < 0 ||
        count > kMaxGpuId + 1) {
      return Fail(InvalidArgument("--gpus expects a count N or a list of device ids such as "
                                  "0,1,3 or 2-3, not '" + std::string(text) + "'"));
    }
    for (int i = 0; i < count; ++i) ids.push_back(i);
    return ids;
  }
  for (std::string_view part : Split(text, ',')) {
    part = Trim(part);
    size_t dash = part.find('-');
    GANTRY_ASSIGN_OR_RETURN(int first, ParseId(part.substr(0, dash), text));
    int last = first;
    if (dash != std::string_view::npos) {
      GANTRY_ASSIGN_OR_RETURN(last, ParseId(part.substr(dash + 1), text));
    }
    if (last < first) {
      return Fail(InvalidArgument("GPU range '" + std::string(part) + "' runs backwards"));
    }
    for (int id = first; id <= last; ++id) ids.push_back(id);
  }
  return Sorted(std::move(ids), text);
}

Result<std::vector<int>> ParseNvidiaSmiIndexes(std::string_view output) {
  std::vector<int> ids;
  for (std::string_view line : Split(output, '\n')) {
    line = Trim(line);
    if (line.empty()) continue;
    GANTRY_ASSIGN_OR_RETURN(int id, ParseId(line, "nvidia-smi output"));
    ids.push_back(id);
  }
  return Sorted(std::move(ids), "nvidia-smi output");
}

std::vector<int> DiscoverNvidiaGpus() {
  // popen runs /bin/sh: "command -v" keeps a node without nvidia-smi quiet.
  FILE* pipe = popen(
      "command -v nvidia-smi >/dev/null 2>&1 && "
      "nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null",
      "r");
  if (pipe == nullptr) return {};
  std::string output;
  char buffer[512];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  if (pclose(pipe) != 0) return {};
  auto ids = ParseNvidiaSmiIndexes(output);
  return ids ? *ids : std::vector<int>{};
}

std::string GpuList(const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace gantry::exec
