// `gantry analysis preprocess`: opens every file of a fileset (on a pool of threads; the work
// is waiting on storage), reads its tree's entry count and splits it into steps, as coffea's
// preprocess() does. Thread-safe (a function of its arguments).
#pragma once

#include <functional>
#include <vector>

#include "analysis/fileset.h"
#include "base/error.h"
#include "root/source.h"

namespace gantry::analysis {

struct PreprocessOptions {
  int64_t step_size = 100000;
  int64_t max_chunks = -1;      // per file, the first N steps (coffea's max_chunks)
  int threads = 8;
  bool skip_bad_files = false;  // coffea's skip_bad_files: report and leave them out
  root::SourceOptions source;
};

// Fails (FailedPrecondition, naming each bad file and why) when a file cannot be read and
// skip_bad_files is false; otherwise the failures are in the result's files (error set).
// progress(done, total) is called from worker threads as files finish.
Result<std::vector<PreprocessedDataset>> Preprocess(
    const std::vector<Dataset>& datasets, const PreprocessOptions& options,
    const std::function<void(size_t, size_t)>& progress = nullptr);

}  // namespace gantry::analysis
