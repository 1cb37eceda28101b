// Job (task) states and the transitions DESIGN.md allows. Pure.
#pragma once

#include <optional>
#include <string_view>

namespace gantry::model {

enum class TaskState {
  kSubmitted,
  kWaiting,    // dependencies, --begin or data not ready
  kReady,      // matchable
  kScheduled,  // matched, sent to an agent
  kRunning,
  kDone,
  kFailed,
  kCancelled,
  kHeld,
};

std::string_view StateName(TaskState s);  // "RUNNING"
std::optional<TaskState> ParseState(std::string_view name);  // case-insensitive; "R", "PD" too
bool IsTerminal(TaskState s);
// Whether the state machine allows from -> to.
bool CanTransition(TaskState from, TaskState to);
// squeue-style short code: PD, R, CG, CD, F, CA, ...
std::string_view ShortStateName(TaskState s);

}  // namespace gantry::model
