#include "model/sandbox.h"

#include <cstdio>
#include <set>

#include "model/limits.h"

namespace gantry::model {

Status CheckSandboxName(std::string_view field, std::string_view name) {
  auto bad = [&](const std::string& why) {
    return Fail(InvalidArgument(std::string(field) + " '" + std::string(name) + "' " + why));
  };
  if (name.empty()) return Fail(InvalidArgument(std::string(field) + " is empty"));
  if (name.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
  if (name[0] == '/') return bad("is absolute: name it relative to the job's working directory");
  if (name.back() == '/') return bad("ends with '/': name files, not directories");
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty()) return bad("has an empty path component ('//')");
    if (part == "." || part == "..") {
      return bad("has a '" + std::string(part) + "' component: sandbox names stay inside the "
                 "job's working directory");
    }
    start = end + 1;
  }
  return {};
}

std::string ByteSize(int64_t bytes) {
  char text[32];
  if (bytes < 1024) {
    std::snprintf(text, sizeof text, "%lld bytes", static_cast<long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return text;
}

Status ValidateSandbox(const JobSpec& s) {
  if (static_cast<int64_t>(s.input_files.size()) > kMaxSandboxFiles ||
      static_cast<int64_t>(s.output_files.size()) > kMaxSandboxFiles) {
    return Fail(InvalidArgument("a sandbox holds at most " + std::to_string(kMaxSandboxFiles) +
                                " files (input " + std::to_string(s.input_files.size()) +
                                ", output " + std::to_string(s.output_files.size()) + ")"));
  }
  int64_t total = 0;
  std::set<std::string_view> names;
  for (const JobSpec::SandboxFile& f : s.input_files) {
    GANTRY_RETURN_IF_ERROR(CheckSandboxName("input file", f.name));
    if (!names.insert(f.name).second) {
      return Fail(InvalidArgument("input file '" + f.name + "' is named twice (files land by "
                                  "name in the working directory)"));
    }
    total += static_cast<int64_t>(f.content.size());
    if (total > kMaxInputSandboxBytes) {
      return Fail(InvalidArgument(
          "the input sandbox is too big: with '" + f.name + "' (" +
          ByteSize(static_cast<int64_t>(f.content.size())) + ") it holds " + ByteSize(total) +
          ", more than the " + ByteSize(kMaxInputSandboxBytes) +
          " a job may carry; put large inputs in shared storage or the data catalog"));
    }
  }
  for (const std::string& name : s.output_files) {
    GANTRY_RETURN_IF_ERROR(CheckSandboxName("output file", name));
  }
  return {};
}

}  // namespace gantry::model
