// File helpers that report errors as values. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry {

Result<std::string> ReadFile(const std::string& path);
// Writes to path.tmp, fsyncs, renames: readers see the old or the new file, never half.
Status WriteFileAtomic(const std::string& path, std::string_view content, int mode = 0644);
// Creates path (which must not exist) with content; no fsync: for scratch files that do not
// need to survive a crash.
Status WriteNewFile(const std::string& path, std::string_view content, int mode = 0644);
// mkdir -p.
Status MakeDirs(const std::string& path, int mode = 0755);
bool FileExists(const std::string& path);

}  // namespace gantry
