// Filesets and chunks, as coffea's dataset tools have them: a fileset names datasets and their
// files; preprocessing counts each file's entries and splits it into steps of about
// `step_size` entries; max_files and max_chunks cut the work down as coffea's max_files() and
// max_chunks() do. Pure functions over JSON (nlohmann) and plain structs; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace gantry::analysis {

struct InputFile {
  std::string path;            // after URL rewriting
  std::string original_path;   // as the fileset gave it
  std::string tree = "Events";
  int64_t expected_entries = -1;  // the fileset's "nevts", when it gives one
};

struct Dataset {
  std::string name;  // "ttbar__nominal" for the AGC fileset's nested shape
  nlohmann::json metadata = nlohmann::json::object();
  std::vector<InputFile> files;
};

// Accepts the AGC shape ({process: {variation: {"nevts_total": N, "files": [{"path", "nevts"}]}}})
// and coffea's ({dataset: {"files": {path: tree} | [path...], "metadata": {...}}}).
Result<std::vector<Dataset>> ParseFileset(const nlohmann::json& fileset,
                                          const std::string& default_tree = "Events");

// "PREFIX=REPLACEMENT": paths starting with PREFIX get it replaced (the first rule that
// matches wins), e.g. to read local or site-cache copies of remote files.
struct Rewrite {
  std::string prefix;
  std::string replacement;
};
Result<Rewrite> ParseRewrite(std::string_view text);
std::string ApplyRewrites(const std::vector<Rewrite>& rules, const std::string& path);

// Keeps the first n files of each dataset (n < 0: all).
void LimitFiles(std::vector<Dataset>& datasets, int64_t max_files);

// coffea's steps: n = max(round(entries / step_size), 1) steps of ceil(entries / n) entries
// (the last shorter); none for an empty file.
std::vector<std::pair<int64_t, int64_t>> SplitSteps(int64_t entries, int64_t step_size);

// One file after preprocessing: its entries and steps, or why it could not be opened.
struct PreprocessedFile {
  InputFile input;
  int64_t entries = -1;
  std::string uuid;
  std::vector<std::pair<int64_t, int64_t>> steps;
  std::string error;  // non-empty: the file could not be read
};

struct PreprocessedDataset {
  std::string name;
  nlohmann::json metadata;
  std::vector<PreprocessedFile> files;
};

// {dataset: {"files": {path: {"object_path", "num_entries", "steps", "uuid"}}, "metadata": {..},
// "failed": {path: error}}} (coffea's preprocessed fileset, plus the failures).
nlohmann::json PreprocessedJson(const std::vector<PreprocessedDataset>& datasets);
// Reads a preprocessed fileset back (for later runs).
Result<std::vector<PreprocessedDataset>> ParsePreprocessed(const nlohmann::json& j);

}  // namespace gantry::analysis
