#include "submit/internal/handlers.h"

#include <string>

#include "base/strings.h"
#include "model/limits.h"
#include "submit/array_spec.h"
#include "submit/begin_time.h"
#include "submit/constraint.h"
#include "submit/modules.h"
#include "submit/dependency.h"
#include "submit/export_env.h"
#include "submit/internal/numbers.h"
#include "submit/memory.h"
#include "submit/time_limit.h"

namespace gantry::submit::internal {
namespace {

// The API's bounds too (model/limits.h), so both refuse the same values.
using model::kMaxCount;
using model::kMaxNice;
using model::kMaxRetries;

Error BadValue(const OptionDef& def, std::string_view value, std::string_view why) {
  return InvalidArgument("invalid --" + std::string(def.long_name) + " value '" +
                         std::string(value) + "': " + std::string(why));
}

// Wraps a helper's "expected ..." error into "invalid --opt value 'v': expected ...".
template <typename T>
Result<T> Check(const OptionDef& def, std::string_view value, Result<T> r) {
  if (!r) return Fail(BadValue(def, value, r.error().message()));
  return r;
}

Result<std::string> NonEmpty(const OptionDef& def, Value value, std::string_view what) {
  std::string_view v = value.value_or("");
  if (Trim(v).empty()) return Fail(BadValue(def, v, "expected " + std::string(what)));
  return std::string(v);
}

Result<int64_t> Count(const OptionDef& def, Value value, int64_t min, int64_t max) {
  std::string_view v = Trim(value.value_or(""));
  std::optional<int64_t> n = ParseDigits(v);
  if (!n || *n < min || *n > max) {
    return Fail(BadValue(
        def, v,
        "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max)));
  }
  return *n;
}

template <typename T>
Located<T> Here(T value, const SubmitState& state) {
  return {std::move(value), state.source, state.location};
}

// --mem and --mem-per-cpu exclude each other within one source; a later source that sets
// one clears the other (a command-line --mem replaces the script's --mem-per-cpu).
Status SetMemory(const OptionDef& def, Value value, SubmitState& state,
                 std::optional<Located<int64_t>>& mine, std::optional<Located<int64_t>>& other,
                 std::string_view other_name) {
  std::string_view v = value.value_or("");
  GANTRY_ASSIGN_OR_RETURN(int64_t mb, Check(def, v, ParseMemory(v)));
  if (other && other->source == state.source) {
    return Fail(InvalidArgument("--" + std::string(def.long_name) + " and --" +
                                std::string(other_name) + " are mutually exclusive (--" +
                                std::string(other_name) + " was given at " + other->location +
                                ")"));
  }
  other.reset();
  mine = Here(mb, state);
  return {};
}

}  // namespace

Status SetAccount(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.account, NonEmpty(def, value, "an account name"));
  return {};
}

Status SetArray(const OptionDef& def, Value value, SubmitState& state) {
  std::string_view v = value.value_or("");
  GANTRY_ASSIGN_OR_RETURN(state.spec.array, Check(def, v, ParseArraySpec(v)));
  return {};
}

Status SetBegin(const OptionDef& def, Value value, SubmitState& state) {
  std::string_view v = value.value_or("");
  GANTRY_ASSIGN_OR_RETURN(state.spec.begin_time,
                          Check(def, v, ParseBeginTime(v, state.now, state.tz_offset_seconds)));
  return {};
}

Status SetChdir(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.chdir, NonEmpty(def, value, "a directory"));
  return {};
}

Status SetCpusPerTask(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.cpus_per_task, Count(def, value, 1, kMaxCount));
  return {};
}

Status SetDependency(const OptionDef& def, Value value, SubmitState& state) {
  std::string_view v = value.value_or("");
  GANTRY_ASSIGN_OR_RETURN(DependencyList list, Check(def, v, ParseDependency(v)));
  state.spec.dependencies = std::move(list.clauses);
  state.spec.dependencies_any = list.any;
  return {};
}

Status SetError(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.stderr_pattern, NonEmpty(def, value, "a file name pattern"));
  return {};
}

Status SetExport(const OptionDef& def, Value value, SubmitState& state) {
  std::string_view v = value.value_or("");
  if (Status ok = ValidateExport(v); !ok) return Fail(BadValue(def, v, ok.error().message()));
  state.export_spec = std::string(v);
  return {};
}

Status SetGpus(const OptionDef& def, Value value, SubmitState& state) {
  // [type:]count
  std::string_view v = Trim(value.value_or(""));
  std::string_view count = v.substr(v.rfind(':') == std::string_view::npos ? 0 : v.rfind(':') + 1);
  std::optional<int64_t> n = ParseDigits(count);
  if (!n || *n > kMaxCount)
    return Fail(BadValue(def, v, "expected [TYPE:]COUNT, e.g. 2 or a100:2"));
  state.spec.gpus = *n;
  return {};
}

Status SetGres(const OptionDef& def, Value value, SubmitState& state) {
  // name[[:type]:count], comma-separated; only "gpu" is something Gantry schedules.
  std::string_view v = Trim(value.value_or(""));
  if (v.empty()) return Fail(BadValue(def, v, "expected NAME[[:TYPE]:COUNT][,...]"));
  int64_t gpus = 0;
  std::vector<std::string> ignored;
  for (const std::string& item : Split(v, ',')) {
    std::vector<std::string> parts = Split(item, ':');
    if (parts[0] != "gpu") {
      ignored.push_back(item);
      continue;
    }
    int64_t count = 1;
    if (parts.size() > 1) {
      std::optional<int64_t> n = ParseDigits(parts.back());
      if (n) {
        count = *n;
      } else if (parts.size() > 2) {
        return Fail(BadValue(def, v, "expected gpu[:TYPE][:COUNT]"));
      }
    }
    if (parts.size() > 3 || count > kMaxCount) {
      return Fail(BadValue(def, v, "expected gpu[:TYPE][:COUNT]"));
    }
    gpus += count;
    if (gpus > kMaxCount) {
      return Fail(BadValue(def, v, "at most " + std::to_string(kMaxCount) + " GPUs in all"));
    }
  }
  state.spec.gpus = gpus;
  if (!ignored.empty()) {
    state.spec.warnings.push_back(state.location + ": --gres " + Join(ignored, ",") +
                                  " is accepted for SLURM compatibility but Gantry does not "
                                  "act on it (only gpu is recorded)");
  }
  return {};
}

Status SetConstraint(const OptionDef& def, Value value, SubmitState& state) {
  auto requirements = ConstraintToRequirements(Trim(value.value_or("")));
  if (!requirements) return Fail(BadValue(def, value.value_or(""), requirements.error().message()));
  state.constraint_requirements = std::move(*requirements);  // the last one wins, as in sbatch
  return {};
}

Status SetExclusive(const OptionDef& def, Value value, SubmitState& state) {
  if (!value) {
    state.spec.exclusive = true;
    return {};
  }
  std::string_view mode = Trim(*value);
  if (mode != "user" && mode != "mcs" && mode != "topo") {
    return Fail(BadValue(def, mode, "expected no value, or user, mcs or topo"));
  }
  state.spec.warnings.push_back(state.location + ": --exclusive=" + std::string(mode) +
                                " is accepted for SLURM compatibility but not acted on (plain "
                                "--exclusive gives the job its whole node)");
  return {};
}

Status SetHold(const OptionDef&, Value, SubmitState& state) {
  state.spec.hold = true;
  return {};
}

Status SetJobName(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.name, NonEmpty(def, value, "a job name"));
  return {};
}

Status SetMaxRetries(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.max_retries, Count(def, value, 0, kMaxRetries));
  return {};
}

Status SetRequirements(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.requirements, NonEmpty(def, value, "a ClassAd expression"));
  return {};
}

Status SetModules(const OptionDef& def, Value value, SubmitState& state) {
  auto modules = ParseModuleList(Trim(value.value_or("")));
  if (!modules) return Fail(BadValue(def, value.value_or(""), modules.error().message()));
  state.modules = std::move(*modules);  // the last one wins, as for every option
  return {};
}

Status SetRank(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.rank, NonEmpty(def, value, "a ClassAd expression"));
  return {};
}

Status SetMem(const OptionDef& def, Value value, SubmitState& state) {
  return SetMemory(def, value, state, state.mem_mb, state.mem_per_cpu_mb, "mem-per-cpu");
}

Status SetMemPerCpu(const OptionDef& def, Value value, SubmitState& state) {
  return SetMemory(def, value, state, state.mem_per_cpu_mb, state.mem_mb, "mem");
}

Status SetNice(const OptionDef& def, Value value, SubmitState& state) {
  if (!value) {
    state.spec.nice = 100;  // sbatch's default adjustment
    return {};
  }
  std::optional<int64_t> n = ParseInt(Trim(*value));
  if (!n || *n < -kMaxNice || *n > kMaxNice) {
    return Fail(BadValue(def, *value,
                         "expected a whole number from " + std::to_string(-kMaxNice) + " to " +
                             std::to_string(kMaxNice) +
                             " (a negative one only for root or the server's own user)"));
  }
  state.spec.nice = *n;
  return {};
}

Status SetNodes(const OptionDef& def, Value value, SubmitState&) {
  std::string_view v = Trim(value.value_or(""));
  if (v == "1" || v == "1-1") return {};
  return Fail(BadValue(def, v, "Gantry runs single-node jobs for now: expected 1 (or 1-1)"));
}

Status SetNtasks(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(int64_t n, Count(def, value, 1, kMaxCount));
  state.ntasks = Here(n, state);
  return {};
}

Status SetNtasksPerNode(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(int64_t n, Count(def, value, 1, kMaxCount));
  state.ntasks_per_node = Here(n, state);
  return {};
}

Status SetOutput(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.stdout_pattern, NonEmpty(def, value, "a file name pattern"));
  return {};
}

// sbatch takes the first letter (a/A or t/T), as its arg_set_open_mode does.
Status SetOpenMode(const OptionDef& def, Value value, SubmitState& state) {
  std::string_view v = Trim(value.value_or(""));
  if (v == "append" || v == "a" || v == "A") {
    state.spec.open_mode = model::JobSpec::OpenMode::kAppend;
  } else if (v == "truncate" || v == "t" || v == "T") {
    state.spec.open_mode = model::JobSpec::OpenMode::kTruncate;
  } else {
    return Fail(BadValue(def, v, "expected append or truncate"));
  }
  return {};
}

Status SetPartition(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.spec.partition, NonEmpty(def, value, "a partition name"));
  return {};
}

Status SetTime(const OptionDef& def, Value value, SubmitState& state) {
  std::string_view v = value.value_or("");
  GANTRY_ASSIGN_OR_RETURN(state.spec.time_limit_seconds, Check(def, v, ParseTimeLimit(v)));
  return {};
}

Status SetWrap(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(state.wrap, NonEmpty(def, value, "a command"));
  return {};
}

Status CommandLineFlag(const OptionDef& def, Value, SubmitState& state) {
  if (state.source == OptionSource::kCommandLine) return {};
  state.spec.warnings.push_back(state.location + ": --" + std::string(def.long_name) +
                                " only has an effect on the gantry submit command line");
  return {};
}

Status WarnOnly(const OptionDef& def, Value, SubmitState& state) {
  state.spec.warnings.push_back(state.location + ": --" + std::string(def.long_name) +
                                " is accepted for SLURM compatibility but Gantry does not act "
                                "on it");
  return {};
}

Status Reject(const OptionDef& def, Value, SubmitState&) {
  return Fail(InvalidArgument("--" + std::string(def.long_name) + " is not supported by Gantry (" +
                              std::string(def.help) + ")"));
}

}  // namespace gantry::submit::internal
