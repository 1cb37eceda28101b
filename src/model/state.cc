#include "model/state.h"

#include "base/strings.h"

namespace gantry::model {
namespace {
struct StateInfo {
  TaskState state;
  std::string_view name;
  std::string_view short_name;
};
constexpr StateInfo kStates[] = {
    {TaskState::kSubmitted, "SUBMITTED", "PD"}, {TaskState::kWaiting, "WAITING", "PD"},
    {TaskState::kReady, "READY", "PD"},         {TaskState::kScheduled, "SCHEDULED", "CF"},
    {TaskState::kRunning, "RUNNING", "R"},      {TaskState::kDone, "DONE", "CD"},
    {TaskState::kFailed, "FAILED", "F"},        {TaskState::kCancelled, "CANCELLED", "CA"},
    {TaskState::kHeld, "HELD", "PD"},
};
}  // namespace

std::string_view StateName(TaskState s) { return kStates[static_cast<int>(s)].name; }
std::string_view ShortStateName(TaskState s) { return kStates[static_cast<int>(s)].short_name; }

std::optional<TaskState> ParseState(std::string_view name) {
  for (const StateInfo& info : kStates) {
    if (EqualsIgnoreCase(name, info.name)) return info.state;
  }
  // SLURM spellings users type with squeue -t.
  if (EqualsIgnoreCase(name, "R")) return TaskState::kRunning;
  if (EqualsIgnoreCase(name, "PD") || EqualsIgnoreCase(name, "PENDING")) return TaskState::kReady;
  if (EqualsIgnoreCase(name, "CD") || EqualsIgnoreCase(name, "COMPLETED")) return TaskState::kDone;
  if (EqualsIgnoreCase(name, "CA")) return TaskState::kCancelled;
  if (EqualsIgnoreCase(name, "F")) return TaskState::kFailed;
  return std::nullopt;
}

bool IsTerminal(TaskState s) {
  return s == TaskState::kDone || s == TaskState::kFailed || s == TaskState::kCancelled;
}

bool CanTransition(TaskState from, TaskState to) {
  using S = TaskState;
  if (IsTerminal(from)) return false;
  if (to == S::kCancelled) return true;
  switch (from) {
    case S::kSubmitted: return to == S::kWaiting || to == S::kReady || to == S::kHeld;
    case S::kWaiting: return to == S::kReady || to == S::kHeld;
    case S::kReady: return to == S::kScheduled || to == S::kHeld || to == S::kWaiting;
    case S::kHeld: return to == S::kReady || to == S::kWaiting;
    // A scheduled attempt lost before it started goes back to READY (shallow retry).
    // One taken back unstarted from an agent's queue is held or goes back to READY.
    case S::kScheduled:
      return to == S::kRunning || to == S::kReady || to == S::kFailed || to == S::kHeld;
    // A running attempt that failed is retried (deep) or the task fails.
    case S::kRunning: return to == S::kDone || to == S::kFailed || to == S::kReady;
    default: return false;
  }
}

}  // namespace gantry::model
