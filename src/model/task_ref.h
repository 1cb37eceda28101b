// TaskRef: how users name jobs: "12" (a job, or a whole array), "12_3" (one array task).
// Pure value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::model {

struct TaskRef {
  int64_t id = 0;
  std::optional<int64_t> array_index;

  std::string ToString() const;
  bool operator==(const TaskRef&) const = default;
};

Result<TaskRef> ParseTaskRef(std::string_view text);

}  // namespace gantry::model
