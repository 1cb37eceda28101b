// gantry analysis preprocess: coffea's dataset preprocessing for a fileset (the AGC's
// nanoaod_inputs.json or coffea's shape): open every file in parallel, count its entries,
// split it into steps, write the preprocessed fileset later runs reuse. Exit status: 0 ok,
// 1 files could not be read (without --skip-bad-files) or the output could not be written,
// 2 bad usage or a bad fileset.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/fileset.h"
#include "analysis/preprocess.h"
#include "base/file.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

constexpr char kUsage[] =
    "Usage: gantry analysis preprocess --fileset FILE [options]\n\n"
    "Commands:\n"
    "  preprocess  count entries and split every file of a fileset into chunks\n";

int RunPreprocess(int argc, char** argv) {
  std::string fileset_path, out_path = "preprocessed.json", tree = "Events";
  std::vector<std::string> rewrites;
  int64_t max_files = -1, step_size = 100000, max_chunks = -1, threads = 8, timeout = 60;
  bool skip_bad = false, as_json = false, quiet = false;
  Flags f("gantry analysis preprocess --fileset FILE [--max-files N] [--step-size EVENTS] "
          "[--max-chunks N] [--skip-bad-files] [--rewrite PREFIX=REPLACEMENT]... [--out FILE]",
          "Opens every file of the fileset (in parallel), reads the entry count of its tree,\n"
          "splits it into chunks of about EVENTS entries (coffea's steps), and writes the\n"
          "preprocessed fileset: {dataset: {files: {path: {object_path, num_entries, steps,\n"
          "uuid}}, metadata, failed}}. The AGC fileset's datasets are PROCESS__VARIATION.\n"
          "--rewrite maps URLs to local copies or a site cache, e.g.\n"
          "  --rewrite https://xrootd-local.unl.edu:1094//store/=/data/store/\n"
          "Files that cannot be read fail the run, naming each, unless --skip-bad-files.");
  f.String("--fileset", &fileset_path, "FILE", "the fileset JSON (required)");
  f.Int("--max-files", &max_files, "N", "the first N files of each dataset (default all)");
  f.Int("--step-size", &step_size, "EVENTS", "entries per chunk (default 100000)");
  f.Int("--max-chunks", &max_chunks, "N", "the first N chunks of each file (default all)");
  f.Bool("--skip-bad-files", &skip_bad, "report unreadable files and leave them out");
  f.Strings("--rewrite", &rewrites, "PREFIX=REPLACEMENT", "rewrite file URLs (repeatable)");
  f.String("--tree", &tree, "NAME", "the tree when the fileset names none (default Events)");
  f.String("--out", &out_path, "FILE", "where to write (default preprocessed.json)");
  f.Int("--threads", &threads, "N", "files opened at once (default 8)");
  f.Int("--timeout", &timeout, "SECONDS", "per read for remote files (default 60)");
  f.Bool("--json", &as_json, "print a JSON summary instead of text");
  f.Bool("--quiet,-q", &quiet, "no progress line");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (fileset_path.empty()) {
    std::fprintf(stderr, "gantry analysis preprocess: --fileset FILE is required\n");
    return 2;
  }
  auto text = ReadFile(fileset_path);
  if (!text) {
    std::fprintf(stderr, "gantry analysis preprocess: %s\n", text.error().message().c_str());
    return 2;
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) {
    std::fprintf(stderr, "gantry analysis preprocess: %s is not valid JSON\n",
                 fileset_path.c_str());
    return 2;
  }
  auto datasets = analysis::ParseFileset(j, tree);
  if (!datasets) {
    std::fprintf(stderr, "gantry analysis preprocess: %s: %s\n", fileset_path.c_str(),
                 datasets.error().message().c_str());
    return 2;
  }
  std::vector<analysis::Rewrite> rules;
  for (const std::string& r : rewrites) {
    auto rule = analysis::ParseRewrite(r);
    if (!rule) {
      std::fprintf(stderr, "gantry analysis preprocess: %s\n", rule.error().message().c_str());
      return 2;
    }
    rules.push_back(*rule);
  }
  analysis::LimitFiles(*datasets, max_files);
  for (analysis::Dataset& d : *datasets) {
    for (analysis::InputFile& in : d.files) in.path = analysis::ApplyRewrites(rules, in.path);
  }
  analysis::PreprocessOptions options;
  options.step_size = step_size;
  options.max_chunks = max_chunks;
  options.threads = static_cast<int>(threads);
  options.skip_bad_files = skip_bad;
  options.source.timeout = std::chrono::seconds(timeout);
  std::mutex mu;
  bool show = !quiet && !as_json && ::isatty(2);
  auto started = std::chrono::steady_clock::now();
  auto result = analysis::Preprocess(*datasets, options, [&](size_t done, size_t total) {
    if (!show) return;
    std::lock_guard<std::mutex> lock(mu);
    std::fprintf(stderr, "\rpreprocessing: %zu/%zu files", done, total);
    if (done == total) std::fprintf(stderr, "\n");
  });
  if (!result) {
    std::fprintf(stderr, "gantry analysis preprocess: %s\n", result.error().message().c_str());
    return 1;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json out = analysis::PreprocessedJson(*result);
  if (Status s = WriteFileAtomic(out_path, out.dump(1) + "\n"); !s) {
    std::fprintf(stderr, "gantry analysis preprocess: %s\n", s.error().message().c_str());
    return 1;
  }
  int64_t files = 0, failed = 0, entries = 0, chunks = 0;
  nlohmann::json failures = nlohmann::json::array();
  for (const analysis::PreprocessedDataset& d : *result) {
    for (const analysis::PreprocessedFile& pf : d.files) {
      if (!pf.error.empty()) {
        ++failed;
        failures.push_back({{"dataset", d.name}, {"path", pf.input.path}, {"error", pf.error}});
        continue;
      }
      ++files;
      for (const auto& [a, b] : pf.steps) entries += b - a;
      chunks += static_cast<int64_t>(pf.steps.size());
    }
  }
  if (as_json) {
    nlohmann::json summary = {{"out", out_path},        {"datasets", result->size()},
                              {"files", files},         {"failed", failures},
                              {"chunks", chunks},       {"entries", entries},
                              {"seconds", seconds}};
    std::printf("%s\n", summary.dump(2).c_str());
    return 0;
  }
  std::printf("%zu datasets, %lld files, %lld chunks, %lld entries in %.2f s -> %s\n",
              result->size(), static_cast<long long>(files), static_cast<long long>(chunks),
              static_cast<long long>(entries), seconds, out_path.c_str());
  for (const auto& fail : failures) {
    std::printf("skipped %s (%s): %s\n", fail["path"].get<std::string>().c_str(),
                fail["dataset"].get<std::string>().c_str(),
                fail["error"].get<std::string>().c_str());
  }
  return 0;
}

}  // namespace

int RunAnalysis(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::string_view(argv[1]) == "preprocess") return RunPreprocess(argc - 1, argv + 1);
  std::fprintf(stderr, "gantry analysis: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}

}  // namespace gantry::cli
