#include "analysis/fileset.h"

#include <cmath>

namespace gantry::analysis {
namespace {

Error Bad(const std::string& where, const std::string& what) {
  return InvalidArgument("fileset: " + where + ": " + what);
}

Status AddFiles(const nlohmann::json& files, const std::string& where, const std::string& tree,
                Dataset& d) {
  if (files.is_object()) {
    for (const auto& [path, object] : files.items()) {
      InputFile f{path, path, tree, -1};
      if (object.is_string()) {
        f.tree = object.get<std::string>();
      } else if (object.is_object() && object.contains("object_path") &&
                 object["object_path"].is_string()) {
        f.tree = object["object_path"].get<std::string>();
      } else if (!object.is_null()) {
        return Fail(Bad(where, "file " + path + " must map to a tree name"));
      }
      d.files.push_back(std::move(f));
    }
    return {};
  }
  if (!files.is_array()) return Fail(Bad(where, "\"files\" must be a list or an object"));
  for (size_t i = 0; i < files.size(); ++i) {
    const nlohmann::json& f = files[i];
    InputFile in{"", "", tree, -1};
    if (f.is_string()) {
      in.path = f.get<std::string>();
    } else if (f.is_object() && f.contains("path") && f["path"].is_string()) {
      in.path = f["path"].get<std::string>();
      if (f.contains("nevts") && f["nevts"].is_number_integer()) {
        in.expected_entries = f["nevts"].get<int64_t>();
      }
      if (f.contains("object_path") && f["object_path"].is_string()) {
        in.tree = f["object_path"].get<std::string>();
      }
    } else {
      return Fail(Bad(where, "file " + std::to_string(i) + " has no \"path\""));
    }
    in.original_path = in.path;
    d.files.push_back(std::move(in));
  }
  return {};
}

}  // namespace

Result<std::vector<Dataset>> ParseFileset(const nlohmann::json& fileset,
                                          const std::string& default_tree) {
  if (!fileset.is_object()) return Fail(Bad("top level", "must be an object of datasets"));
  std::vector<Dataset> out;
  for (const auto& [name, value] : fileset.items()) {
    if (!value.is_object()) return Fail(Bad(name, "must be an object"));
    if (value.contains("files")) {
      Dataset d;
      d.name = name;
      if (value.contains("metadata") && value["metadata"].is_object()) d.metadata = value["metadata"];
      GANTRY_RETURN_IF_ERROR(AddFiles(value["files"], name, default_tree, d));
      out.push_back(std::move(d));
      continue;
    }
    // The AGC shape: process -> variation -> files.
    for (const auto& [variation, inner] : value.items()) {
      std::string where = name + "/" + variation;
      if (!inner.is_object() || !inner.contains("files")) {
        return Fail(Bad(where, "needs \"files\" (or the dataset needs them)"));
      }
      Dataset d;
      d.name = name + "__" + variation;
      d.metadata = {{"process", name}, {"variation", variation}};
      if (inner.contains("nevts_total")) d.metadata["nevts_total"] = inner["nevts_total"];
      GANTRY_RETURN_IF_ERROR(AddFiles(inner["files"], where, default_tree, d));
      out.push_back(std::move(d));
    }
  }
  return out;
}

Result<Rewrite> ParseRewrite(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Fail(InvalidArgument("a rewrite is PREFIX=REPLACEMENT, got \"" + std::string(text) +
                                "\""));
  }
  return Rewrite{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

std::string ApplyRewrites(const std::vector<Rewrite>& rules, const std::string& path) {
  for (const Rewrite& r : rules) {
    if (path.starts_with(r.prefix)) return r.replacement + path.substr(r.prefix.size());
  }
  return path;
}

void LimitFiles(std::vector<Dataset>& datasets, int64_t max_files) {
  if (max_files < 0) return;
  for (Dataset& d : datasets) {
    if (static_cast<int64_t>(d.files.size()) > max_files) {
      d.files.resize(static_cast<size_t>(max_files));
    }
  }
}

std::vector<std::pair<int64_t, int64_t>> SplitSteps(int64_t entries, int64_t step_size) {
  std::vector<std::pair<int64_t, int64_t>> steps;
  if (entries <= 0) return steps;
  if (step_size <= 0) return {{0, entries}};
  // Python's round() is round-half-to-even, as std::nearbyint is by default.
  int64_t n = std::max<int64_t>(
      static_cast<int64_t>(std::nearbyint(static_cast<double>(entries) / step_size)), 1);
  int64_t size = (entries + n - 1) / n;
  for (int64_t i = 0; i < n; ++i) {
    int64_t start = i * size, stop = std::min((i + 1) * size, entries);
    if (start < stop) steps.emplace_back(start, stop);
  }
  return steps;
}

nlohmann::json PreprocessedJson(const std::vector<PreprocessedDataset>& datasets) {
  nlohmann::json out = nlohmann::json::object();
  for (const PreprocessedDataset& d : datasets) {
    nlohmann::json files = nlohmann::json::object(), failed = nlohmann::json::object();
    for (const PreprocessedFile& f : d.files) {
      if (!f.error.empty()) {
        failed[f.input.path] = f.error;
        continue;
      }
      nlohmann::json steps = nlohmann::json::array();
      for (const auto& [a, b] : f.steps) steps.push_back({a, b});
      nlohmann::json j = {{"object_path", f.input.tree},
                          {"num_entries", f.entries},
                          {"steps", std::move(steps)},
                          {"uuid", f.uuid}};
      if (f.input.original_path != f.input.path) j["original_path"] = f.input.original_path;
      if (f.input.expected_entries >= 0) j["fileset_nevts"] = f.input.expected_entries;
      files[f.input.path] = std::move(j);
    }
    nlohmann::json dj = {{"files", std::move(files)}, {"metadata", d.metadata}};
    if (!failed.empty()) dj["failed"] = std::move(failed);
    out[d.name] = std::move(dj);
  }
  return out;
}

Result<std::vector<PreprocessedDataset>> ParsePreprocessed(const nlohmann::json& j) {
  if (!j.is_object()) return Fail(InvalidArgument("preprocessed fileset: must be an object"));
  std::vector<PreprocessedDataset> out;
  try {
    for (const auto& [name, d] : j.items()) {
      PreprocessedDataset pd;
      pd.name = name;
      pd.metadata = d.value("metadata", nlohmann::json::object());
      for (const auto& [path, f] : d.at("files").items()) {
        PreprocessedFile pf;
        pf.input.path = path;
        pf.input.original_path = f.value("original_path", path);
        pf.input.tree = f.at("object_path").get<std::string>();
        pf.input.expected_entries = f.value("fileset_nevts", int64_t{-1});
        pf.entries = f.at("num_entries").get<int64_t>();
        pf.uuid = f.value("uuid", "");
        for (const auto& s : f.at("steps")) {
          pf.steps.emplace_back(s.at(0).get<int64_t>(), s.at(1).get<int64_t>());
        }
        pd.files.push_back(std::move(pf));
      }
      if (d.contains("failed")) {
        for (const auto& [path, why] : d["failed"].items()) {
          PreprocessedFile pf;
          pf.input.path = pf.input.original_path = path;
          pf.error = why.is_string() ? why.get<std::string>() : why.dump();
          pd.files.push_back(std::move(pf));
        }
      }
      out.push_back(std::move(pd));
    }
  } catch (const nlohmann::json::exception& e) {
    return Fail(InvalidArgument(std::string("preprocessed fileset: ") + e.what()));
  }
  return out;
}

}  // namespace gantry::analysis
