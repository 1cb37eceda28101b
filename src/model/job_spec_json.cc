#include "model/job_spec_json.h"

#include <functional>
#include <set>
#include <string>

namespace gantry::model {
namespace {

using nlohmann::json;

std::string_view DependencyTypeName(DependencyType t) {
  switch (t) {
    case DependencyType::kAfter: return "after";
    case DependencyType::kAfterOk: return "afterok";
    case DependencyType::kAfterAny: return "afterany";
    case DependencyType::kAfterNotOk: return "afternotok";
    case DependencyType::kSingleton: return "singleton";
  }
  return "afterok";
}

std::optional<DependencyType> ParseDependencyType(std::string_view s) {
  for (auto t : {DependencyType::kAfter, DependencyType::kAfterOk, DependencyType::kAfterAny,
                 DependencyType::kAfterNotOk, DependencyType::kSingleton}) {
    if (DependencyTypeName(t) == s) return t;
  }
  return std::nullopt;
}

// Reads one typed field; errors name the field path.
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  template <typename T>
  Status Get(const char* key, T& out) {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return {};
    seen_.insert(key);
    try {
      out = it->get<T>();
    } catch (const json::exception&) {
      return Fail(InvalidArgument("field '" + path_ + key + "' has the wrong type (" +
                                  std::string(it->type_name()) + ")"));
    }
    return {};
  }
  Status Object(const char* key, const std::function<Status(const json&, const std::string&)>& f) {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return {};
    seen_.insert(key);
    return f(*it, path_ + key);
  }
  Status RejectUnknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (!seen_.count(it.key()) && !known_extra_.count(it.key())) {
        return Fail(InvalidArgument("unknown field '" + path_ + it.key() + "'"));
      }
    }
    return {};
  }
  // Fields Get() did not visit because they were null or absent still count as known.
  void Known(std::initializer_list<const char*> keys) {
    for (const char* k : keys) known_extra_.insert(k);
  }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> seen_;
  std::set<std::string> known_extra_;
};

constexpr int64_t kMaxArrayTasks = 1'000'000;

// Task ids as arithmetic runs [first, last, step]: "0-999999" is one run, not a million
// numbers, so a large array costs a few bytes on the wire and in the database.
json EncodeRuns(const std::vector<int64_t>& ids) {
  json runs = json::array();
  size_t i = 0;
  while (i < ids.size()) {
    int64_t first = ids[i];
    if (i + 1 == ids.size() || ids[i + 1] <= first) {
      runs.push_back({first, first, 1});
      ++i;
      continue;
    }
    int64_t step = ids[i + 1] - first;
    size_t j = i + 1;
    while (j + 1 < ids.size() && ids[j + 1] - ids[j] == step) ++j;
    runs.push_back({first, ids[j], step});
    i = j + 1;
  }
  return runs;
}

Status DecodeRuns(const json& runs, const std::string& path, std::vector<int64_t>& out) {
  if (!runs.is_array()) return Fail(InvalidArgument("field '" + path + "' must be a list"));
  int64_t total = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const json& r = runs[i];
    std::string at = "field '" + path + "[" + std::to_string(i) + "]'";
    if (!r.is_array() || r.size() != 3 || !r[0].is_number_integer() ||
        !r[1].is_number_integer() || !r[2].is_number_integer()) {
      return Fail(InvalidArgument(at + " must be [first, last, step] (integers)"));
    }
    int64_t first = r[0].get<int64_t>(), last = r[1].get<int64_t>(), step = r[2].get<int64_t>();
    if (step < 1 || last < first || (last - first) % step != 0) {
      return Fail(InvalidArgument(at + " is not a run: need first <= last, step >= 1 and "
                                  "last - first a multiple of step"));
    }
    total += (last - first) / step + 1;
    if (total > kMaxArrayTasks) {
      return Fail(InvalidArgument("an array may have at most 1000000 tasks"));
    }
  }
  out.reserve(static_cast<size_t>(total));
  for (const json& r : runs) {
    int64_t first = r[0].get<int64_t>(), last = r[1].get<int64_t>(), step = r[2].get<int64_t>();
    for (int64_t v = first; v <= last; v += step) out.push_back(v);
  }
  return {};
}

}  // namespace

json JobSpecToJson(const JobSpec& s) {
  json j = {
      {"name", s.name},
      {"script", s.script},
      {"script_name", s.script_name},
      {"script_args", s.script_args},
      {"submit_dir", s.submit_dir},
      {"working_dir", s.working_dir},
      {"stdout", s.stdout_pattern},
      {"stderr", s.stderr_pattern},
      {"open_mode", s.open_mode == JobSpec::OpenMode::kAppend ? "append" : "truncate"},
      {"ntasks", s.ntasks},
      {"cpus_per_task", s.cpus_per_task},
      {"memory_mb", s.memory_mb},
      {"gpus", s.gpus},
      {"time_limit_seconds", s.time_limit_seconds},
      {"environment", s.environment},
      {"dependencies_any", s.dependencies_any},
      {"begin_time", s.begin_time},
      {"nice", s.nice},
      {"hold", s.hold},
      {"partition", s.partition},
      {"account", s.account},
      {"max_retries", s.max_retries},
      {"requirements", s.requirements},
      {"rank", s.rank},
      {"attributes", s.attributes},
      {"warnings", s.warnings},
  };
  if (s.array) {
    j["array"] = {{"task_runs", EncodeRuns(s.array->task_ids)},
                  {"max_concurrent", s.array->max_concurrent},
                  {"text", s.array->text}};
  }
  json deps = json::array();
  for (const Dependency& d : s.dependencies) {
    deps.push_back({{"type", DependencyTypeName(d.type)}, {"job_ids", d.job_ids}});
  }
  j["dependencies"] = deps;
  return j;
}

Result<JobSpec> JobSpecFromJson(const json& j) {
  if (!j.is_object()) return Fail(InvalidArgument("a job must be a JSON object"));
  JobSpec s;
  Reader r(j, "");
  GANTRY_RETURN_IF_ERROR(r.Get("name", s.name));
  GANTRY_RETURN_IF_ERROR(r.Get("script", s.script));
  GANTRY_RETURN_IF_ERROR(r.Get("script_name", s.script_name));
  GANTRY_RETURN_IF_ERROR(r.Get("script_args", s.script_args));
  GANTRY_RETURN_IF_ERROR(r.Get("submit_dir", s.submit_dir));
  GANTRY_RETURN_IF_ERROR(r.Get("working_dir", s.working_dir));
  GANTRY_RETURN_IF_ERROR(r.Get("stdout", s.stdout_pattern));
  GANTRY_RETURN_IF_ERROR(r.Get("stderr", s.stderr_pattern));
  std::string open_mode = "truncate";  // optional: jobs stored before it existed truncate
  GANTRY_RETURN_IF_ERROR(r.Get("open_mode", open_mode));
  if (open_mode != "truncate" && open_mode != "append") {
    return Fail(InvalidArgument("field 'open_mode' must be \"truncate\" or \"append\", not \"" +
                                open_mode + "\""));
  }
  s.open_mode = open_mode == "append" ? JobSpec::OpenMode::kAppend : JobSpec::OpenMode::kTruncate;
  GANTRY_RETURN_IF_ERROR(r.Get("ntasks", s.ntasks));
  GANTRY_RETURN_IF_ERROR(r.Get("cpus_per_task", s.cpus_per_task));
  GANTRY_RETURN_IF_ERROR(r.Get("memory_mb", s.memory_mb));
  GANTRY_RETURN_IF_ERROR(r.Get("gpus", s.gpus));
  GANTRY_RETURN_IF_ERROR(r.Get("time_limit_seconds", s.time_limit_seconds));
  GANTRY_RETURN_IF_ERROR(r.Get("environment", s.environment));
  GANTRY_RETURN_IF_ERROR(r.Get("dependencies_any", s.dependencies_any));
  GANTRY_RETURN_IF_ERROR(r.Get("begin_time", s.begin_time));
  GANTRY_RETURN_IF_ERROR(r.Get("nice", s.nice));
  GANTRY_RETURN_IF_ERROR(r.Get("hold", s.hold));
  GANTRY_RETURN_IF_ERROR(r.Get("partition", s.partition));
  GANTRY_RETURN_IF_ERROR(r.Get("account", s.account));
  GANTRY_RETURN_IF_ERROR(r.Get("max_retries", s.max_retries));
  GANTRY_RETURN_IF_ERROR(r.Get("requirements", s.requirements));
  GANTRY_RETURN_IF_ERROR(r.Get("rank", s.rank));
  GANTRY_RETURN_IF_ERROR(r.Get("attributes", s.attributes));
  GANTRY_RETURN_IF_ERROR(r.Get("warnings", s.warnings));
  GANTRY_RETURN_IF_ERROR(r.Object("array", [&](const json& a, const std::string& path) -> Status {
    if (!a.is_object()) return Fail(InvalidArgument("field '" + path + "' must be an object"));
    ArraySpec spec;
    Reader ar(a, path + ".");
    GANTRY_RETURN_IF_ERROR(ar.Get("task_ids", spec.task_ids));
    GANTRY_RETURN_IF_ERROR(ar.Object("task_runs", [&](const json& runs, const std::string& p) -> Status {
      if (!spec.task_ids.empty()) {
        return Fail(InvalidArgument("give either '" + path + ".task_ids' or '" + p + "', not both"));
      }
      return DecodeRuns(runs, p, spec.task_ids);
    }));
    GANTRY_RETURN_IF_ERROR(ar.Get("max_concurrent", spec.max_concurrent));
    GANTRY_RETURN_IF_ERROR(ar.Get("text", spec.text));
    GANTRY_RETURN_IF_ERROR(ar.RejectUnknown());
    s.array = std::move(spec);
    return {};
  }));
  GANTRY_RETURN_IF_ERROR(r.Object("dependencies", [&](const json& a, const std::string& path) -> Status {
    if (!a.is_array()) return Fail(InvalidArgument("field '" + path + "' must be a list"));
    for (size_t i = 0; i < a.size(); ++i) {
      std::string item = path + "[" + std::to_string(i) + "]";
      if (!a[i].is_object()) return Fail(InvalidArgument("field '" + item + "' must be an object"));
      Reader dr(a[i], item + ".");
      std::string type;
      Dependency d;
      GANTRY_RETURN_IF_ERROR(dr.Get("type", type));
      GANTRY_RETURN_IF_ERROR(dr.Get("job_ids", d.job_ids));
      GANTRY_RETURN_IF_ERROR(dr.RejectUnknown());
      auto parsed = ParseDependencyType(type);
      if (!parsed) {
        return Fail(InvalidArgument("field '" + item + ".type' must be one of after, afterok, "
                                    "afterany, afternotok, singleton; got '" + type + "'"));
      }
      d.type = *parsed;
      s.dependencies.push_back(std::move(d));
    }
    return {};
  }));
  GANTRY_RETURN_IF_ERROR(r.RejectUnknown());
  return s;
}

Status ValidateJobSpec(const JobSpec& s) {
  if (s.script.empty()) return Fail(InvalidArgument("field 'script' must not be empty"));
  if (s.script.rfind("#!", 0) != 0) {
    return Fail(InvalidArgument("field 'script' must start with #! (e.g. #!/bin/sh)"));
  }
  if (s.script.find('\0') != std::string::npos) {
    return Fail(InvalidArgument("field 'script' contains a NUL byte: is it a binary file?"));
  }
  if (s.ntasks < 1) return Fail(InvalidArgument("field 'ntasks' must be at least 1"));
  if (s.cpus_per_task < 1) return Fail(InvalidArgument("field 'cpus_per_task' must be at least 1"));
  if (s.gpus < 0) return Fail(InvalidArgument("field 'gpus' must not be negative"));
  if (s.memory_mb < 0) return Fail(InvalidArgument("field 'memory_mb' must not be negative"));
  if (s.time_limit_seconds < 0) {
    return Fail(InvalidArgument("field 'time_limit_seconds' must not be negative"));
  }
  if (s.max_retries < 0 || s.max_retries > 100) {
    return Fail(InvalidArgument("field 'max_retries' must be between 0 and 100"));
  }
  if (s.working_dir.empty() || s.working_dir[0] != '/') {
    return Fail(InvalidArgument("field 'working_dir' must be an absolute path"));
  }
  if (s.submit_dir.empty() || s.submit_dir[0] != '/') {
    return Fail(InvalidArgument("field 'submit_dir' must be an absolute path"));
  }
  if (s.array) {
    if (s.array->task_ids.empty()) return Fail(InvalidArgument("field 'array.task_ids' is empty"));
    if (s.array->task_ids.size() > static_cast<size_t>(kMaxArrayTasks)) {
      return Fail(InvalidArgument("an array may have at most 1000000 tasks"));
    }
    for (size_t i = 0; i < s.array->task_ids.size(); ++i) {
      int64_t id = s.array->task_ids[i];
      if (id < 0) return Fail(InvalidArgument("array task ids must not be negative"));
      if (i > 0 && id <= s.array->task_ids[i - 1]) {
        return Fail(InvalidArgument("array task ids must be in ascending order without repeats (" +
                                    std::to_string(s.array->task_ids[i - 1]) + " before " +
                                    std::to_string(id) + ")"));
      }
    }
    if (s.array->max_concurrent < 0) {
      return Fail(InvalidArgument("field 'array.max_concurrent' must not be negative"));
    }
  }
  for (const auto& [key, value] : s.environment) {
    if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos) {
      return Fail(InvalidArgument("invalid environment variable name '" + key + "'"));
    }
  }
  return {};
}

}  // namespace gantry::model
