#include "model/task.h"

namespace gantry::model {
std::string_view AttemptStateName(AttemptState s) {
  switch (s) {
    case AttemptState::kScheduled: return "SCHEDULED";
    case AttemptState::kRunning: return "RUNNING";
    case AttemptState::kEnded: return "ENDED";
  }
  return "?";
}
}  // namespace gantry::model
