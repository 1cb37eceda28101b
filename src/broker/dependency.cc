#include "broker/dependency.h"

#include "base/strings.h"

namespace gantry::broker {
namespace {

std::string_view TypeName(model::DependencyType t) {
  switch (t) {
    case model::DependencyType::kAfter: return "after";
    case model::DependencyType::kAfterOk: return "afterok";
    case model::DependencyType::kAfterAny: return "afterany";
    case model::DependencyType::kAfterNotOk: return "afternotok";
    case model::DependencyType::kSingleton: return "singleton";
  }
  return "?";
}

// One id of one clause.
DependencyVerdict EvaluateOne(model::DependencyType type, const JobOutcome& o) {
  using T = model::DependencyType;
  bool all_ended = o.terminal == o.tasks;
  switch (type) {
    case T::kAfter:
      return o.started == o.tasks ? DependencyVerdict::kSatisfied : DependencyVerdict::kPending;
    case T::kAfterAny:
      return all_ended ? DependencyVerdict::kSatisfied : DependencyVerdict::kPending;
    case T::kAfterOk:
      if (o.terminal > o.done) return DependencyVerdict::kNeverSatisfied;
      return all_ended ? DependencyVerdict::kSatisfied : DependencyVerdict::kPending;
    case T::kAfterNotOk:
      if (all_ended) {
        return o.done < o.tasks ? DependencyVerdict::kSatisfied
                                : DependencyVerdict::kNeverSatisfied;
      }
      return DependencyVerdict::kPending;
    case T::kSingleton: return DependencyVerdict::kSatisfied;
  }
  return DependencyVerdict::kPending;
}

}  // namespace

std::string DependencyText(const model::Dependency& d) {
  std::string out(TypeName(d.type));
  for (const std::string& id : d.job_ids) out += ":" + id;
  return out;
}

DependencyResult EvaluateDependencies(
    const std::vector<model::Dependency>& deps, bool any,
    const std::function<std::optional<JobOutcome>(const std::string& id)>& lookup,
    bool singleton_blocked) {
  if (deps.empty()) return {};
  DependencyResult pending{DependencyVerdict::kPending, ""};
  DependencyResult never{DependencyVerdict::kNeverSatisfied, ""};
  bool any_pending = false;
  for (const model::Dependency& d : deps) {
    // A clause holds when every id in it holds.
    DependencyVerdict clause = DependencyVerdict::kSatisfied;
    std::string why;
    if (d.type == model::DependencyType::kSingleton) {
      if (singleton_blocked) {
        clause = DependencyVerdict::kPending;
        why = "singleton: an earlier job with the same name and user is unfinished";
      }
    }
    for (const std::string& id : d.job_ids) {
      std::optional<JobOutcome> o = lookup(id);
      DependencyVerdict v = o ? EvaluateOne(d.type, *o) : DependencyVerdict::kNeverSatisfied;
      if (v == DependencyVerdict::kSatisfied) continue;
      std::string text = std::string(TypeName(d.type)) + ":" + id + " (" +
                         (o ? o->summary : std::string("no such job")) + ")";
      if (v == DependencyVerdict::kNeverSatisfied) {
        clause = v;
        why = text;
        break;
      }
      if (clause == DependencyVerdict::kSatisfied) {
        clause = v;
        why = text;
      }
    }
    if (any) {
      if (clause == DependencyVerdict::kSatisfied) return {};
      if (clause == DependencyVerdict::kPending) {
        any_pending = true;
        if (pending.reason.empty()) pending.reason = why;
      } else if (never.reason.empty()) {
        never.reason = why;
      }
    } else {
      if (clause == DependencyVerdict::kNeverSatisfied) {
        never.reason = why;
        return never;
      }
      if (clause == DependencyVerdict::kPending && pending.reason.empty()) pending.reason = why;
      if (clause == DependencyVerdict::kPending) any_pending = true;
    }
  }
  if (any) return any_pending ? pending : never;
  return any_pending ? pending : DependencyResult{};
}

}  // namespace gantry::broker
