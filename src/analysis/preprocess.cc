#include "analysis/preprocess.h"

#include <atomic>
#include <thread>

#include "root/file.h"
#include "root/tree.h"

namespace gantry::analysis {
namespace {

PreprocessedFile OpenOne(const InputFile& in, const PreprocessOptions& options) {
  PreprocessedFile out;
  out.input = in;
  auto file = root::File::Open(in.path, options.source);
  if (!file) {
    out.error = file.error().message();
    return out;
  }
  auto tree = root::ReadTree(**file, in.tree);
  if (!tree) {
    out.error = tree.error().message();
    return out;
  }
  out.entries = tree->entries;
  out.uuid = (*file)->header().uuid;
  out.steps = SplitSteps(out.entries, options.step_size);
  if (options.max_chunks >= 0 && static_cast<int64_t>(out.steps.size()) > options.max_chunks) {
    out.steps.resize(static_cast<size_t>(options.max_chunks));
  }
  return out;
}

}  // namespace

Result<std::vector<PreprocessedDataset>> Preprocess(
    const std::vector<Dataset>& datasets, const PreprocessOptions& options,
    const std::function<void(size_t, size_t)>& progress) {
  std::vector<PreprocessedDataset> out(datasets.size());
  std::vector<std::pair<size_t, size_t>> work;  // (dataset, file)
  for (size_t d = 0; d < datasets.size(); ++d) {
    out[d].name = datasets[d].name;
    out[d].metadata = datasets[d].metadata;
    out[d].files.resize(datasets[d].files.size());
    for (size_t f = 0; f < datasets[d].files.size(); ++f) work.emplace_back(d, f);
  }
  std::atomic<size_t> next{0}, done{0};
  auto worker = [&] {
    for (size_t i = next++; i < work.size(); i = next++) {
      auto [d, f] = work[i];
      out[d].files[f] = OpenOne(datasets[d].files[f], options);
      size_t finished = ++done;
      if (progress) progress(finished, work.size());
    }
  };
  size_t threads = std::min<size_t>(work.size(), static_cast<size_t>(std::max(1, options.threads)));
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (std::thread& t : pool) t.join();

  if (!options.skip_bad_files) {
    std::string bad;
    size_t count = 0;
    for (const PreprocessedDataset& d : out) {
      for (const PreprocessedFile& f : d.files) {
        if (f.error.empty()) continue;
        if (++count <= 5) bad += "\n  " + f.input.path + ": " + f.error;
      }
    }
    if (count > 0) {
      if (count > 5) bad += "\n  ... and " + std::to_string(count - 5) + " more";
      return Fail(FailedPrecondition(std::to_string(count) +
                                     " file(s) could not be read (--skip-bad-files leaves them "
                                     "out):" + bad));
    }
  }
  return out;
}

}  // namespace gantry::analysis
