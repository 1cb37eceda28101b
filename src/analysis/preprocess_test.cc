#include "analysis/preprocess.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "analysis/testdata_path.h"
#include "base/file.h"
#include "base/temp_dir.h"
#include "root/file.h"
#include "root/tree.h"

namespace gantry::analysis {
namespace {

constexpr char kPrefix[] = "https://xrootd-local.unl.edu:1094//store/user/AGC/nanoAOD/";

// The AGC fileset, one file per dataset, with its URLs rewritten to a local mirror whose files
// are the shared NanoAOD files (symlinks), one of them not a ROOT file.
struct Mirror {
  TempDir dir;
  std::vector<Dataset> datasets;
  std::string bad_path;
  std::map<std::string, std::string> target;  // rewritten path -> shared file
};

void MakeMirror(Mirror& m) {
  auto text = ReadFile(SharedData() + "/agc/nanoaod_inputs.json");
  ASSERT_TRUE(text);
  auto datasets = ParseFileset(nlohmann::json::parse(*text));
  ASSERT_TRUE(datasets);
  LimitFiles(*datasets, 1);
  std::vector<Rewrite> rules = {{kPrefix, m.dir.path() + "/"}};
  const char* shared[] = {"agc_open-data-example.root", "nanoAOD_2015_CMS_Open_Data_ttbar.root",
                          "coffea_nano_dimuon.root"};
  size_t i = 0;
  for (Dataset& d : *datasets) {
    for (InputFile& f : d.files) {
      ASSERT_TRUE(f.path.starts_with(kPrefix)) << f.path;
      f.path = ApplyRewrites(rules, f.path);
      std::filesystem::create_directories(std::filesystem::path(f.path).parent_path());
      if (i == 3) {
        std::ofstream(f.path) << "this is not a ROOT file\n";
        m.bad_path = f.path;
      } else {
        std::string src = SharedData() + "/root/" + shared[i % 3];
        std::filesystem::create_symlink(src, f.path);
        m.target[f.path] = src;
      }
      ++i;
    }
  }
  m.datasets = std::move(*datasets);
}

TEST(PreprocessTest, BadFilesFailTheRunUnlessSkipped) {
  Mirror m;
  MakeMirror(m);
  ASSERT_FALSE(m.bad_path.empty());
  PreprocessOptions options;
  auto strict = Preprocess(m.datasets, options);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(strict.error().message().find(m.bad_path), std::string::npos)
      << strict.error().message();
  EXPECT_NE(strict.error().message().find("not a ROOT file"), std::string::npos);

  options.skip_bad_files = true;
  options.step_size = 30000;
  size_t last_done = 0, total = 0;
  auto result = Preprocess(m.datasets, options, [&](size_t done, size_t n) {
    last_done = std::max(last_done, done);
    total = n;
  });
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(last_done, total);
  size_t good = 0, bad = 0;
  for (const PreprocessedDataset& d : *result) {
    for (const PreprocessedFile& f : d.files) {
      if (!f.error.empty()) {
        ++bad;
        EXPECT_EQ(f.input.path, m.bad_path);
        continue;
      }
      ++good;
      auto file = root::File::Open(m.target.at(f.input.path));
      ASSERT_TRUE(file);
      auto tree = root::ReadTree(**file, "Events");
      ASSERT_TRUE(tree);
      EXPECT_EQ(f.entries, tree->entries);
      EXPECT_EQ(f.steps, SplitSteps(tree->entries, 30000));
      EXPECT_EQ(f.uuid.size(), 32u);
      EXPECT_TRUE(f.input.original_path.starts_with(kPrefix));
    }
  }
  EXPECT_EQ(bad, 1u);
  EXPECT_EQ(good, total - 1);
  nlohmann::json j = PreprocessedJson(*result);
  auto back = ParsePreprocessed(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(PreprocessedJson(*back), j);
}

TEST(PreprocessTest, MaxChunksKeepsTheFirstStepsOfEachFile) {
  Mirror m;
  MakeMirror(m);
  PreprocessOptions options;
  options.skip_bad_files = true;
  options.step_size = 10000;
  options.max_chunks = 2;
  auto result = Preprocess(m.datasets, options);
  ASSERT_TRUE(result);
  bool saw_cut = false;
  for (const PreprocessedDataset& d : *result) {
    for (const PreprocessedFile& f : d.files) {
      if (!f.error.empty()) continue;
      EXPECT_LE(f.steps.size(), 2u);
      auto all = SplitSteps(f.entries, 10000);
      saw_cut = saw_cut || all.size() > 2;
      for (size_t i = 0; i < f.steps.size(); ++i) EXPECT_EQ(f.steps[i], all[i]);
    }
  }
  EXPECT_TRUE(saw_cut);  // the 100000-event file has 10 steps, cut to 2
}

}  // namespace
}  // namespace gantry::analysis
