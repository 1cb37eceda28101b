// Copy: one object from a source Storage to a destination Storage, verified before it
// becomes visible. The bytes go to a temporary beside the destination (file-to-file by
// copy_file_range in the kernel, otherwise through an 8 MiB buffer, checksummed as they
// pass); the destination's adler32, as the destination storage computes it, must equal the
// expected one (the catalog's) or else the source's; only then is the temporary renamed.
// On any failure the temporary is removed. Thread-compatible (one copy per call; the
// Storages are thread-safe).
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "base/error.h"
#include "transfer/storage.h"

namespace gantry::transfer {

struct CopyOptions {
  std::string expected_adler32;  // the catalog's; "" compares with the source's bytes
  Overwrite overwrite = Overwrite::kNo;
  std::string temp_suffix = "copy";
  // Called from the copying thread with the bytes done so far and the total.
  std::function<void(int64_t done, int64_t total)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set: stop soon, Cancelled
  size_t buffer_size = 8 << 20;
};

struct CopyResult {
  int64_t bytes = 0;
  std::string adler32;
  std::string method;  // "copy_file_range" or "stream"
};

struct CopyError {
  enum class Where {
    kSource,       // reading the source failed
    kDestination,  // writing, verifying or renaming at the destination failed
    kBadSource,    // the source's bytes do not match the catalog: that replica is bad
  };
  Where where;
  Error error;
};

std::expected<CopyResult, CopyError> Copy(Storage& from, const Url& source, Storage& to,
                                          const Url& destination, const CopyOptions& options);

}  // namespace gantry::transfer
