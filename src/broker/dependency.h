// Evaluating -d/--dependency clauses against what is known of other jobs. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/job_spec.h"
#include "model/state.h"

namespace gantry::broker {

// What the broker knows of the job (or array task) a clause names.
struct JobOutcome {
  int64_t tasks = 0;       // units the id covers
  int64_t started = 0;     // that started running or ended
  int64_t terminal = 0;    // that ended
  int64_t done = 0;        // that ended with DONE
  std::string summary;     // "RUNNING", "2 of 4 tasks DONE", for reasons
};

enum class DependencyVerdict { kSatisfied, kPending, kNeverSatisfied };

struct DependencyResult {
  DependencyVerdict verdict = DependencyVerdict::kSatisfied;
  std::string reason;  // the first clause that holds the job back, in words
};

// lookup returns nullopt for ids that do not exist. singleton_blocked says whether an
// earlier job of the same name and user is still unfinished.
DependencyResult EvaluateDependencies(
    const std::vector<model::Dependency>& deps, bool any,
    const std::function<std::optional<JobOutcome>(const std::string& id)>& lookup,
    bool singleton_blocked);

std::string DependencyText(const model::Dependency& d);

}  // namespace gantry::broker
