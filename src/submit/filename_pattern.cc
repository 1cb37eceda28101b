#include "submit/filename_pattern.h"

#include <algorithm>
#include <cstdio>

namespace gantry::submit {
namespace {

// SLURM prints NO_VAL (0xfffffffe) for %a outside an array; scripts may rely on it.
constexpr int64_t kNoArrayTask = 4294967294;

std::string Padded(int64_t value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(value));
  return buf;
}

// Appends the expansion of %<letter>; false when the letter is not a field.
bool AppendField(char letter, int width, const JobIds& ids, std::string_view job_name,
                 std::string_view user, std::string_view hostname, std::string& out) {
  int64_t task = ids.array_task_id.value_or(kNoArrayTask);
  switch (letter) {
    case 'j':
    case 'J':  // jobid.stepid, but the batch step prints no step id
      out += Padded(ids.job_id, width);
      return true;
    case 'A':
      out += Padded(ids.array_job_id != 0 ? ids.array_job_id : ids.job_id, width);
      return true;
    case 'a':
      out += Padded(task, width);
      return true;
    case 'b':
      out += Padded(task % 10, width);
      return true;
    case 'n':
    case 't':
    case 'r':
      out += Padded(0, width);
      return true;
    case 's':
      out += "batch";
      return true;
    case 'x':
      out += job_name;
      return true;
    case 'u':
      out += user;
      return true;
    case 'N':
      if (hostname.empty()) return false;
      out += hostname;
      return true;
    default:
      return false;
  }
}

std::string JoinDir(std::string_view dir, std::string path) {
  if (path.empty() || path.front() == '/' || dir.empty()) return path;
  std::string out(dir);
  if (out.back() != '/') out += '/';
  return out + path;
}

}  // namespace

std::string DefaultOutputPattern(bool is_array) {
  return is_array ? "slurm-%A_%a.out" : "slurm-%j.out";
}

std::string ExpandFilenamePattern(std::string_view pattern, const JobIds& ids,
                                  std::string_view job_name, std::string_view user,
                                  std::string_view hostname) {
  std::string out;
  if (pattern.find('\\') != std::string_view::npos) {
    for (char c : pattern) {
      if (c != '\\') out += c;
    }
    return out;
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out += pattern[i];
      continue;
    }
    if (pattern[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t j = i + 1;
    int width = 0;
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
      width = std::min(width * 10 + (pattern[j] - '0'), 10);
      ++j;
    }
    if (j < pattern.size() && AppendField(pattern[j], width, ids, job_name, user, hostname, out)) {
      i = j;
      continue;
    }
    // Not a field: keep the text as written.
    size_t end = std::min(j + 1, pattern.size());
    out.append(pattern.substr(i, end - i));
    i = end - 1;
  }
  return out;
}

std::string StdoutPath(const model::JobSpec& spec, const JobIds& ids, std::string_view user,
                       std::string_view hostname) {
  std::string pattern = spec.stdout_pattern.empty() ? DefaultOutputPattern(spec.array.has_value())
                                                    : spec.stdout_pattern;
  return JoinDir(spec.working_dir, ExpandFilenamePattern(pattern, ids, spec.name, user, hostname));
}

std::string StderrPath(const model::JobSpec& spec, const JobIds& ids, std::string_view user,
                       std::string_view hostname) {
  if (spec.stderr_pattern.empty()) return "";
  return JoinDir(spec.working_dir,
                 ExpandFilenamePattern(spec.stderr_pattern, ids, spec.name, user, hostname));
}

}  // namespace gantry::submit
