// Writing a file an agent returned from a job's output sandbox into the submit host's
// directory (docs/sandbox.md): with the job owner's rights, atomically (a temporary name
// beside the target, fsynced, then renamed over it: a reader sees the old file or the whole
// new one, never half), after its checksum was verified. Nothing is left behind on failure.
#pragma once

#include <string>
#include <string_view>

#include "base/as_user.h"
#include "base/error.h"

namespace gantry::api {

struct ReturnedFile {
  std::string target;  // absolute path on the submit host
  std::string_view bytes;
  std::string sha256;  // lower-case hex, as the agent computed it before sending
  bool append = false;  // --open-mode=append: after what the target holds
  int64_t attempt_id = 0;  // names the temporary file
};

// InvalidArgument when the checksum does not match (the agent may send it again); the
// errors of creating, writing or renaming otherwise.
Status WriteReturnedFile(const ReturnedFile& file, const FileUser& owner);

}  // namespace gantry::api
