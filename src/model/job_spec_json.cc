#include "model/job_spec_json.h"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "base/base64.h"
#include "model/limits.h"

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

enum class IntProblem { kNone, kWrongType, kFraction, kRange };

struct IntValue {
  IntProblem problem = IntProblem::kNone;
  int64_t value = 0;
};

// A JSON number as an exact int64. A JSON number has no separate integer type, so 2.0 is 2
// (as JSON Schema's "integer"), but 2.5 is refused, not truncated, and a value int64 cannot
// hold (1e30, 2^64-1) is out of range, not wrapped.
IntValue ToInt(const json& v) {
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return {IntProblem::kRange};
    }
    return {IntProblem::kNone, static_cast<int64_t>(u)};
  }
  if (v.is_number_integer()) return {IntProblem::kNone, v.get<int64_t>()};
  if (!v.is_number_float()) return {IntProblem::kWrongType};
  double d = v.get<double>();
  if (!std::isfinite(d)) return {IntProblem::kRange};
  if (d != std::trunc(d)) return {IntProblem::kFraction};
  // 2^63 is exact as a double; every double below it in magnitude converts exactly.
  if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return {IntProblem::kRange};
  return {IntProblem::kNone, static_cast<int64_t>(d)};
}

Error WrongType(const std::string& field, const json& v, std::string_view expected) {
  return InvalidArgument("field '" + field + "' has the wrong type (" + std::string(v.type_name()) +
                         "): expected " + std::string(expected));
}

// The value's problem as an error naming `field`; the range is that of `limit`.
Error IntError(const std::string& field, const json& v, IntProblem problem, const IntLimit& limit) {
  switch (problem) {
    case IntProblem::kWrongType: return WrongType(field, v, "a whole number");
    case IntProblem::kFraction:
      return InvalidArgument("field '" + field + "' must be a whole number (got " + v.dump() + ")");
    case IntProblem::kRange:
    case IntProblem::kNone: break;
  }
  return OutOfRange({field, limit.min, limit.max}, v.dump());
}

// Reads typed fields of one object; errors name the field path. A null field counts as
// absent. Ranges are ValidateJobSpec's: stored specs are decoded too, and must still load.
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  Status String(const char* key, std::string& out) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_string()) return Fail(WrongType(path_ + key, *v, "a string"));
    out = v->get<std::string>();
    return {};
  }
  Status Bool(const char* key, bool& out) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_boolean()) return Fail(WrongType(path_ + key, *v, "true or false"));
    out = v->get<bool>();
    return {};
  }
  Status Int(const char* key, const IntLimit& limit, int64_t& out) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    IntValue i = ToInt(*v);
    if (i.problem != IntProblem::kNone) return Fail(IntError(path_ + key, *v, i.problem, limit));
    out = i.value;
    return {};
  }
  // Task ids: at most kMaxArrayTasks of them.
  Status TaskIds(const char* key, std::vector<int64_t>& out) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_array()) return Fail(WrongType(path_ + key, *v, "a list of whole numbers"));
    if (v->size() > static_cast<size_t>(kMaxArrayTasks)) return Fail(TooManyTasks(path_ + key));
    out.reserve(v->size());
    for (size_t i = 0; i < v->size(); ++i) {
      IntValue n = ToInt((*v)[i]);
      if (n.problem != IntProblem::kNone) {
        return Fail(IntError(Item(key, i), (*v)[i], n.problem, kArrayTaskIdLimit));
      }
      out.push_back(n.value);
    }
    return {};
  }
  Status Strings(const char* key, std::vector<std::string>& out) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_array()) return Fail(WrongType(path_ + key, *v, "a list of strings"));
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) return Fail(WrongType(Item(key, i), (*v)[i], "a string"));
      out.push_back((*v)[i].get<std::string>());
    }
    return {};
  }
  Status StringMap(const char* key, std::map<std::string, std::string>& out) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_object()) return Fail(WrongType(path_ + key, *v, "an object of strings"));
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (!it->is_string()) {
        return Fail(WrongType(path_ + key + "." + it.key(), *it, "a string"));
      }
      out[it.key()] = it->get<std::string>();
    }
    return {};
  }
  Status Object(const char* key, const std::function<Status(const json&, const std::string&)>& f) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    return f(*v, path_ + key);
  }
  Status RejectUnknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (!seen_.count(it.key())) {
        return Fail(InvalidArgument("unknown field '" + path_ + it.key() + "'"));
      }
    }
    return {};
  }

 private:
  // The field's value, or nullptr when absent or null; either way the key is known.
  const json* Find(const char* key) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  std::string Item(const char* key, size_t i) const {
    return path_ + key + "[" + std::to_string(i) + "]";
  }

  const json& object_;
  std::string path_;
  std::set<std::string> seen_;
};

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

// Counts every run before expanding any, in unsigned arithmetic that cannot wrap: a run
// reaching INT64_MAX, or spanning all of int64, is refused as too many tasks, never looped.
Status DecodeRuns(const json& runs, const std::string& path, std::vector<int64_t>& out) {
  if (!runs.is_array()) return Fail(WrongType(path, runs, "a list of [first, last, step]"));
  struct Run {
    int64_t first;
    uint64_t step;
    uint64_t count;
  };
  std::vector<Run> decoded;
  uint64_t total = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const json& r = runs[i];
    std::string at = "field '" + path + "[" + std::to_string(i) + "]'";
    IntValue v[3];
    bool ok = r.is_array() && r.size() == 3;
    for (size_t k = 0; ok && k < 3; ++k) {
      v[k] = ToInt(r[k]);
      ok = v[k].problem == IntProblem::kNone;
    }
    if (!ok) {
      return Fail(InvalidArgument(at + " must be [first, last, step] (whole numbers; task ids " +
                                  "from 0 to " + std::to_string(kMaxArrayTaskId) + ")"));
    }
    int64_t first = v[0].value, last = v[1].value, step = v[2].value;
    bool ordered = step >= 1 && last >= first;
    // last - first may exceed INT64_MAX; as uint64 it is exact once last >= first.
    uint64_t span = ordered ? static_cast<uint64_t>(last) - static_cast<uint64_t>(first) : 0;
    uint64_t ustep = ordered ? static_cast<uint64_t>(step) : 1;
    if (!ordered || span % ustep != 0) {
      return Fail(InvalidArgument(at + " is not a run: need first <= last, step >= 1 and "
                                  "last - first a multiple of step"));
    }
    uint64_t steps = span / ustep;  // count - 1: span / 1 + 1 would wrap for all of int64
    if (steps >= static_cast<uint64_t>(kMaxArrayTasks) ||
        total + steps + 1 > static_cast<uint64_t>(kMaxArrayTasks)) {
      return Fail(TooManyTasks(path));
    }
    total += steps + 1;
    decoded.push_back({first, ustep, steps + 1});
  }
  out.reserve(static_cast<size_t>(total));
  for (const Run& r : decoded) {
    // first + k * step stays within [first, last]: computed unsigned, it is exact.
    for (uint64_t k = 0; k < r.count; ++k) {
      out.push_back(static_cast<int64_t>(static_cast<uint64_t>(r.first) + k * r.step));
    }
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
      {"exclusive", s.exclusive},
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
  if (!s.input_files.empty()) {
    json files = json::array();
    for (const JobSpec::SandboxFile& f : s.input_files) {
      files.push_back({{"name", f.name},
                       {"source", f.source},
                       {"executable", f.executable},
                       {"content_base64", Base64Encode(f.content)}});
    }
    j["input_files"] = files;
  }
  if (!s.output_files.empty()) j["output_files"] = s.output_files;
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
  GANTRY_RETURN_IF_ERROR(r.String("name", s.name));
  GANTRY_RETURN_IF_ERROR(r.String("script", s.script));
  GANTRY_RETURN_IF_ERROR(r.String("script_name", s.script_name));
  GANTRY_RETURN_IF_ERROR(r.Strings("script_args", s.script_args));
  GANTRY_RETURN_IF_ERROR(r.String("submit_dir", s.submit_dir));
  GANTRY_RETURN_IF_ERROR(r.String("working_dir", s.working_dir));
  GANTRY_RETURN_IF_ERROR(r.String("stdout", s.stdout_pattern));
  GANTRY_RETURN_IF_ERROR(r.String("stderr", s.stderr_pattern));
  std::string open_mode = "truncate";  // optional: jobs stored before it existed truncate
  GANTRY_RETURN_IF_ERROR(r.String("open_mode", open_mode));
  if (open_mode != "truncate" && open_mode != "append") {
    return Fail(InvalidArgument("field 'open_mode' must be \"truncate\" or \"append\", not \"" +
                                open_mode + "\""));
  }
  s.open_mode = open_mode == "append" ? JobSpec::OpenMode::kAppend : JobSpec::OpenMode::kTruncate;
  GANTRY_RETURN_IF_ERROR(r.Int("ntasks", kNtasksLimit, s.ntasks));
  GANTRY_RETURN_IF_ERROR(r.Int("cpus_per_task", kCpusPerTaskLimit, s.cpus_per_task));
  GANTRY_RETURN_IF_ERROR(r.Int("memory_mb", kMemoryMbLimit, s.memory_mb));
  GANTRY_RETURN_IF_ERROR(r.Int("gpus", kGpusLimit, s.gpus));
  GANTRY_RETURN_IF_ERROR(r.Bool("exclusive", s.exclusive));
  GANTRY_RETURN_IF_ERROR(r.Int("time_limit_seconds", kTimeLimitLimit, s.time_limit_seconds));
  GANTRY_RETURN_IF_ERROR(r.StringMap("environment", s.environment));
  GANTRY_RETURN_IF_ERROR(r.Bool("dependencies_any", s.dependencies_any));
  GANTRY_RETURN_IF_ERROR(r.Int("begin_time", kBeginTimeLimit, s.begin_time));
  GANTRY_RETURN_IF_ERROR(r.Int("nice", kNiceLimit, s.nice));
  GANTRY_RETURN_IF_ERROR(r.Bool("hold", s.hold));
  GANTRY_RETURN_IF_ERROR(r.String("partition", s.partition));
  GANTRY_RETURN_IF_ERROR(r.String("account", s.account));
  GANTRY_RETURN_IF_ERROR(r.Int("max_retries", kMaxRetriesLimit, s.max_retries));
  GANTRY_RETURN_IF_ERROR(r.String("requirements", s.requirements));
  GANTRY_RETURN_IF_ERROR(r.String("rank", s.rank));
  GANTRY_RETURN_IF_ERROR(r.StringMap("attributes", s.attributes));
  GANTRY_RETURN_IF_ERROR(r.Strings("warnings", s.warnings));
  GANTRY_RETURN_IF_ERROR(r.Object("array", [&](const json& a, const std::string& path) -> Status {
    if (!a.is_object()) return Fail(WrongType(path, a, "an object"));
    ArraySpec spec;
    Reader ar(a, path + ".");
    GANTRY_RETURN_IF_ERROR(ar.TaskIds("task_ids", spec.task_ids));
    GANTRY_RETURN_IF_ERROR(ar.Object("task_runs", [&](const json& runs, const std::string& p) -> Status {
      if (!spec.task_ids.empty()) {
        return Fail(InvalidArgument("give either '" + path + ".task_ids' or '" + p + "', not both"));
      }
      return DecodeRuns(runs, p, spec.task_ids);
    }));
    GANTRY_RETURN_IF_ERROR(ar.Int("max_concurrent", kMaxConcurrentLimit, spec.max_concurrent));
    GANTRY_RETURN_IF_ERROR(ar.String("text", spec.text));
    GANTRY_RETURN_IF_ERROR(ar.RejectUnknown());
    s.array = std::move(spec);
    return {};
  }));
  GANTRY_RETURN_IF_ERROR(r.Object("dependencies", [&](const json& a, const std::string& path) -> Status {
    if (!a.is_array()) return Fail(WrongType(path, a, "a list"));
    for (size_t i = 0; i < a.size(); ++i) {
      std::string item = path + "[" + std::to_string(i) + "]";
      if (!a[i].is_object()) return Fail(WrongType(item, a[i], "an object"));
      Reader dr(a[i], item + ".");
      std::string type;
      Dependency d;
      GANTRY_RETURN_IF_ERROR(dr.String("type", type));
      GANTRY_RETURN_IF_ERROR(dr.Strings("job_ids", d.job_ids));
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
  GANTRY_RETURN_IF_ERROR(r.Strings("output_files", s.output_files));
  GANTRY_RETURN_IF_ERROR(r.Object("input_files", [&](const json& a, const std::string& path) -> Status {
    if (!a.is_array()) return Fail(WrongType(path, a, "a list"));
    for (size_t i = 0; i < a.size(); ++i) {
      std::string item = path + "[" + std::to_string(i) + "]";
      if (!a[i].is_object()) return Fail(WrongType(item, a[i], "an object"));
      Reader fr(a[i], item + ".");
      JobSpec::SandboxFile f;
      std::string encoded;
      GANTRY_RETURN_IF_ERROR(fr.String("name", f.name));
      GANTRY_RETURN_IF_ERROR(fr.String("source", f.source));
      GANTRY_RETURN_IF_ERROR(fr.Bool("executable", f.executable));
      GANTRY_RETURN_IF_ERROR(fr.String("content_base64", encoded));
      GANTRY_RETURN_IF_ERROR(fr.RejectUnknown());
      auto content = Base64Decode(encoded);
      if (!content) {
        return Fail(InvalidArgument("field '" + item + ".content_base64' is not base64"));
      }
      f.content = std::move(*content);
      s.input_files.push_back(std::move(f));
    }
    return {};
  }));
  GANTRY_RETURN_IF_ERROR(r.RejectUnknown());
  return s;
}

}  // namespace gantry::model
