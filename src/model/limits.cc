#include "model/limits.h"

#include <string>

namespace gantry::model {

Error OutOfRange(const IntLimit& limit, std::string_view got) {
  return InvalidArgument("field '" + std::string(limit.field) + "' is out of range (got " +
                         std::string(got) + "): must be from " + std::to_string(limit.min) +
                         " to " + std::to_string(limit.max));
}

Status CheckLimit(const IntLimit& limit, int64_t value) {
  if (value < limit.min || value > limit.max) {
    return Fail(OutOfRange(limit, std::to_string(value)));
  }
  return {};
}

Error TooManyTasks(std::string_view field) {
  return InvalidArgument("field '" + std::string(field) +
                         "' has too many tasks: an array may have at most " +
                         std::to_string(kMaxArrayTasks));
}

Status CheckNicePermission(int64_t nice, bool privileged) {
  if (nice >= 0 || privileged) return {};
  return Fail(PermissionDenied(
      "a negative nice (" + std::to_string(nice) +
      ") raises the job above other users' work: only root and the server's own user may "
      "give one; use a nice of 0 or more"));
}

}  // namespace gantry::model
