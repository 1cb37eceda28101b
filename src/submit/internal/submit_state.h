// What the option handlers accumulate while a submission is parsed. Not for use outside
// src/submit/. A plain value: thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "model/job_spec.h"
#include "submit/modules.h"
#include "submit/options.h"

namespace gantry::submit::internal {

// A value and where it was set ("job.sh:3", "command line"), for messages.
template <typename T>
struct Located {
  T value;
  OptionSource source;
  std::string location;
};

struct SubmitState {
  model::JobSpec spec;
  TimeMicros now = 0;
  int tz_offset_seconds = 0;

  // The occurrence being applied.
  OptionSource source = OptionSource::kSbatchLine;
  std::string location;

  // Settled only once every source has been applied.
  std::optional<std::string> name;
  std::optional<std::string> chdir;
  std::optional<std::string> export_spec;
  std::optional<std::string> wrap;
  std::optional<Located<int64_t>> mem_mb;
  std::optional<Located<int64_t>> mem_per_cpu_mb;
  std::optional<Located<int64_t>> ntasks;
  std::optional<Located<int64_t>> ntasks_per_node;
  // -C/--constraint, already translated into a Requirements clause.
  std::optional<std::string> constraint_requirements;
  // --modules: the RequestModules attribute and its Requirements clauses.
  std::optional<ModuleRequest> modules;
};

}  // namespace gantry::submit::internal
