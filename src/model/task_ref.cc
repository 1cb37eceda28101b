#include "model/task_ref.h"

#include "base/strings.h"

namespace gantry::model {

std::string TaskRef::ToString() const {
  std::string out = std::to_string(id);
  if (array_index) out += "_" + std::to_string(*array_index);
  return out;
}

Result<TaskRef> ParseTaskRef(std::string_view text) {
  auto bad = [&] {
    return Fail(InvalidArgument("invalid job id '" + std::string(text) +
                                "': expected a number like 12 or an array task like 12_3"));
  };
  TaskRef ref;
  size_t underscore = text.find('_');
  auto id = ParseInt(text.substr(0, underscore));
  if (!id || *id <= 0) return bad();
  ref.id = *id;
  if (underscore != std::string_view::npos) {
    auto index = ParseInt(text.substr(underscore + 1));
    if (!index || *index < 0) return bad();
    ref.array_index = *index;
  }
  return ref;
}

}  // namespace gantry::model
