// ValidateJobSpec (declared in job_spec_json.h): what every JobSpec must satisfy, whichever
// front end produced it (gantry submit, JDL, the HTTP API). Ranges come from limits.h.
#include <map>
#include <string>
#include <vector>

#include "model/job_spec_json.h"
#include "model/limits.h"
#include "model/sandbox.h"

namespace gantry::model {
namespace {

// A NUL byte would cut the string where the job meets C (argv, environ, open()), so the job
// would silently get something other than what was asked for.
Status NoNul(const std::string& field, std::string_view value) {
  if (value.find('\0') == std::string_view::npos) return {};
  return Fail(InvalidArgument("field '" + field + "' contains a NUL byte"));
}

Status NoNul(const std::string& field, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    GANTRY_RETURN_IF_ERROR(NoNul(field + "[" + std::to_string(i) + "]", values[i]));
  }
  return {};
}

Status NoNul(const std::string& field, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    if (key.find('\0') != std::string::npos) {
      return Fail(InvalidArgument("field '" + field + "' has a name that contains a NUL byte"));
    }
    GANTRY_RETURN_IF_ERROR(NoNul(field + "." + key, value));
  }
  return {};
}

Status ValidateStrings(const JobSpec& s) {
  GANTRY_RETURN_IF_ERROR(NoNul("name", s.name));
  GANTRY_RETURN_IF_ERROR(NoNul("script_name", s.script_name));
  GANTRY_RETURN_IF_ERROR(NoNul("script_args", s.script_args));
  GANTRY_RETURN_IF_ERROR(NoNul("submit_dir", s.submit_dir));
  GANTRY_RETURN_IF_ERROR(NoNul("working_dir", s.working_dir));
  GANTRY_RETURN_IF_ERROR(NoNul("stdout", s.stdout_pattern));
  GANTRY_RETURN_IF_ERROR(NoNul("stderr", s.stderr_pattern));
  GANTRY_RETURN_IF_ERROR(NoNul("environment", s.environment));
  GANTRY_RETURN_IF_ERROR(NoNul("partition", s.partition));
  GANTRY_RETURN_IF_ERROR(NoNul("account", s.account));
  GANTRY_RETURN_IF_ERROR(NoNul("requirements", s.requirements));
  GANTRY_RETURN_IF_ERROR(NoNul("rank", s.rank));
  GANTRY_RETURN_IF_ERROR(NoNul("attributes", s.attributes));
  GANTRY_RETURN_IF_ERROR(NoNul("warnings", s.warnings));
  if (s.array) GANTRY_RETURN_IF_ERROR(NoNul("array.text", s.array->text));
  for (size_t i = 0; i < s.dependencies.size(); ++i) {
    GANTRY_RETURN_IF_ERROR(
        NoNul("dependencies[" + std::to_string(i) + "].job_ids", s.dependencies[i].job_ids));
  }
  for (const auto& [key, value] : s.environment) {
    if (key.empty() || key.find('=') != std::string::npos) {
      return Fail(InvalidArgument("field 'environment' has an invalid variable name '" + key +
                                  "' (empty or with '=')"));
    }
  }
  return {};
}

Status ValidateArray(const ArraySpec& a) {
  if (a.task_ids.empty()) return Fail(InvalidArgument("field 'array.task_ids' is empty"));
  if (a.task_ids.size() > static_cast<size_t>(kMaxArrayTasks)) {
    return Fail(TooManyTasks("array.task_ids"));
  }
  for (size_t i = 0; i < a.task_ids.size(); ++i) {
    int64_t id = a.task_ids[i];
    if (id < kArrayTaskIdLimit.min || id > kArrayTaskIdLimit.max) {
      return Fail(InvalidArgument("array task id " + std::to_string(id) +
                                  " is out of range: task ids must be from " +
                                  std::to_string(kArrayTaskIdLimit.min) + " to " +
                                  std::to_string(kArrayTaskIdLimit.max) + ", as for --array"));
    }
    if (i > 0 && id <= a.task_ids[i - 1]) {
      return Fail(InvalidArgument("array task ids must be in ascending order without repeats (" +
                                  std::to_string(a.task_ids[i - 1]) + " before " +
                                  std::to_string(id) + ")"));
    }
  }
  return CheckLimit(kMaxConcurrentLimit, a.max_concurrent);
}

}  // namespace

Status ValidateJobSpec(const JobSpec& s) {
  if (s.script.empty()) return Fail(InvalidArgument("field 'script' must not be empty"));
  if (s.script.rfind("#!", 0) != 0) {
    return Fail(InvalidArgument("field 'script' must start with #! (e.g. #!/bin/sh)"));
  }
  if (s.script.find('\0') != std::string::npos) {
    return Fail(InvalidArgument("field 'script' contains a NUL byte: is it a binary file?"));
  }
  GANTRY_RETURN_IF_ERROR(ValidateStrings(s));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kNtasksLimit, s.ntasks));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kCpusPerTaskLimit, s.cpus_per_task));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kMemoryMbLimit, s.memory_mb));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kGpusLimit, s.gpus));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kTimeLimitLimit, s.time_limit_seconds));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kBeginTimeLimit, s.begin_time));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kNiceLimit, s.nice));
  GANTRY_RETURN_IF_ERROR(CheckLimit(kMaxRetriesLimit, s.max_retries));
  if (s.working_dir.empty() || s.working_dir[0] != '/') {
    return Fail(InvalidArgument("field 'working_dir' must be an absolute path"));
  }
  if (s.submit_dir.empty() || s.submit_dir[0] != '/') {
    return Fail(InvalidArgument("field 'submit_dir' must be an absolute path"));
  }
  if (s.array) GANTRY_RETURN_IF_ERROR(ValidateArray(*s.array));
  GANTRY_RETURN_IF_ERROR(ValidateSandbox(s));
  return {};
}

}  // namespace gantry::model
