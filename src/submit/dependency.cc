#include "submit/dependency.h"

#include <string>

#include "base/strings.h"
#include "submit/internal/numbers.h"

namespace gantry::submit {
namespace {

using model::DependencyType;

constexpr std::string_view kExpected =
    "expected TYPE:JOBID[:JOBID...] clauses joined by ',' (all) or '?' (any), where TYPE is "
    "after, afterok, afterany or afternotok, or 'singleton'";

Error Bad(std::string msg) { return InvalidArgument(std::move(msg)); }

// "12", "12_3", "12_*"; returns the normalised id.
Result<std::string> ParseJobId(std::string_view id) {
  size_t underscore = id.find('_');
  std::string_view job = id.substr(0, underscore);
  std::optional<int64_t> n = internal::ParseDigits(job);
  if (id.find('+') != std::string_view::npos) {
    return Fail(Bad("delays after a job (" + std::string(id) +
                    ", after:JOBID+MINUTES) are not supported by Gantry"));
  }
  if (id.find('(') != std::string_view::npos) {
    return Fail(Bad("state filters (" + std::string(id) + ") are not supported by Gantry"));
  }
  if (!n || *n == 0) {
    return Fail(Bad("'" + std::string(id) + "' is not a job id (expected e.g. 12 or 12_3)"));
  }
  if (underscore == std::string_view::npos) return std::to_string(*n);
  std::string_view task = id.substr(underscore + 1);
  if (task == "*") return std::to_string(*n);
  std::optional<int64_t> t = internal::ParseDigits(task);
  if (!t) {
    return Fail(Bad("'" + std::string(id) + "' is not a job id (expected e.g. 12 or 12_3)"));
  }
  return std::to_string(*n) + "_" + std::to_string(*t);
}

std::optional<DependencyType> TypeNamed(std::string_view name) {
  std::string lower = ToLower(name);
  if (lower == "after") return DependencyType::kAfter;
  if (lower == "afterok") return DependencyType::kAfterOk;
  if (lower == "afterany") return DependencyType::kAfterAny;
  if (lower == "afternotok") return DependencyType::kAfterNotOk;
  return std::nullopt;
}

Result<model::Dependency> ParseClause(std::string_view clause) {
  model::Dependency dep;
  if (clause.empty()) return Fail(Bad("empty clause; " + std::string(kExpected)));
  if (EqualsIgnoreCase(clause, "singleton")) {
    dep.type = DependencyType::kSingleton;
    return dep;
  }
  std::vector<std::string> parts = Split(clause, ':');
  if (parts.size() == 1) {
    // The old SLURM form: a bare job id means afterany.
    if (clause.front() < '0' || clause.front() > '9') {
      return Fail(
          Bad("unknown dependency '" + std::string(clause) + "'; " + std::string(kExpected)));
    }
    dep.type = DependencyType::kAfterAny;
    GANTRY_ASSIGN_OR_RETURN(std::string id, ParseJobId(clause));
    dep.job_ids.push_back(std::move(id));
    return dep;
  }
  std::string type = ToLower(parts[0]);
  if (type == "singleton") return Fail(Bad("singleton takes no job ids"));
  if (type == "aftercorr" || type == "afterburstbuffer" || type == "expand") {
    return Fail(Bad("dependency type '" + type + "' is not supported by Gantry"));
  }
  std::optional<DependencyType> t = TypeNamed(type);
  if (!t) {
    return Fail(Bad("unknown dependency type '" + parts[0] + "'; " + std::string(kExpected)));
  }
  dep.type = *t;
  for (size_t i = 1; i < parts.size(); ++i) {
    GANTRY_ASSIGN_OR_RETURN(std::string id, ParseJobId(parts[i]));
    dep.job_ids.push_back(std::move(id));
  }
  return dep;
}

}  // namespace

Result<DependencyList> ParseDependency(std::string_view text) {
  DependencyList list;
  text = Trim(text);
  if (text.empty() || text == "0") return list;
  bool has_and = text.find(',') != std::string_view::npos;
  bool has_or = text.find('?') != std::string_view::npos;
  if (has_and && has_or) {
    return Fail(
        Bad("cannot mix ',' (all must be satisfied) and '?' (any one suffices) in "
            "one dependency list"));
  }
  list.any = has_or;
  for (const std::string& clause : Split(text, has_or ? '?' : ',')) {
    GANTRY_ASSIGN_OR_RETURN(model::Dependency dep, ParseClause(clause));
    if (list.any && clause.find(':') == std::string::npos && dep.job_ids.size() == 1) {
      // SLURM accepts the bare-id form only in ','-lists.
      return Fail(Bad("bare job id '" + clause + "' can only be joined with ','; write afterany:" +
                      clause + " to use it with '?'"));
    }
    list.clauses.push_back(std::move(dep));
  }
  return list;
}

}  // namespace gantry::submit
