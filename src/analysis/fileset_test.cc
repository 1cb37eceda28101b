#include "analysis/fileset.h"

#include <gtest/gtest.h>

#include "analysis/testdata_path.h"
#include "base/file.h"

namespace gantry::analysis {
namespace {

nlohmann::json AgcFileset() {
  auto text = ReadFile(SharedData() + "/agc/nanoaod_inputs.json");
  EXPECT_TRUE(text);
  return nlohmann::json::parse(text.value_or("{}"));
}

TEST(FilesetTest, ReadsTheAgcFilesetAsProcessVariationDatasets) {
  auto datasets = ParseFileset(AgcFileset());
  ASSERT_TRUE(datasets) << datasets.error().message();
  const Dataset* ttbar = nullptr;
  size_t files = 0;
  for (const Dataset& d : *datasets) {
    files += d.files.size();
    if (d.name == "ttbar__nominal") ttbar = &d;
  }
  ASSERT_NE(ttbar, nullptr);
  EXPECT_EQ(ttbar->metadata["process"], "ttbar");
  EXPECT_EQ(ttbar->metadata["variation"], "nominal");
  EXPECT_EQ(ttbar->metadata["nevts_total"], 276079127);
  EXPECT_EQ(ttbar->files[0].expected_entries, 1334428);
  EXPECT_EQ(ttbar->files[0].tree, "Events");
  EXPECT_TRUE(ttbar->files[0].path.starts_with("https://"));
  EXPECT_EQ(files, 787u);  // the AGC's 787 NanoAOD files
}

TEST(FilesetTest, ReadsCoffeasShape) {
  auto j = nlohmann::json::parse(R"({
    "DY": {"files": {"a.root": "Events", "b.root": {"object_path": "T"}},
           "metadata": {"xsec": 1.5}},
    "Data": {"files": ["c.root"]}})");
  auto datasets = ParseFileset(j);
  ASSERT_TRUE(datasets) << datasets.error().message();
  ASSERT_EQ(datasets->size(), 2u);
  const Dataset& dy = (*datasets)[1].name == "DY" ? (*datasets)[1] : (*datasets)[0];
  ASSERT_EQ(dy.files.size(), 2u);
  EXPECT_EQ(dy.files[1].tree, "T");
  EXPECT_EQ(dy.metadata["xsec"], 1.5);
}

TEST(FilesetTest, RefusesMalformedFilesets) {
  for (const char* text : {R"([1,2])", R"({"a": 3})", R"({"a": {"b": {"nofiles": 1}}})",
                           R"({"a": {"files": 7}})", R"({"a": {"files": [{"nopath": 1}]}})"}) {
    auto d = ParseFileset(nlohmann::json::parse(text));
    EXPECT_FALSE(d) << text;
  }
}

TEST(FilesetTest, RewritesPrefixesFirstMatchWins) {
  auto a = ParseRewrite("https://xrootd-local.unl.edu:1094//store/=/data/store/");
  auto b = ParseRewrite("https://=root://cache.site//");
  ASSERT_TRUE(a && b);
  std::vector<Rewrite> rules = {*a, *b};
  EXPECT_EQ(ApplyRewrites(rules, "https://xrootd-local.unl.edu:1094//store/x.root"),
            "/data/store/x.root");
  EXPECT_EQ(ApplyRewrites(rules, "https://other/y.root"), "root://cache.site//other/y.root");
  EXPECT_EQ(ApplyRewrites(rules, "/local/z.root"), "/local/z.root");
  EXPECT_FALSE(ParseRewrite("no-equals-sign"));
}

TEST(FilesetTest, StepsFollowCoffea) {
  // n = max(round(entries / step), 1); steps of ceil(entries / n).
  auto s = SplitSteps(1334428, 100000);
  ASSERT_EQ(s.size(), 13u);
  EXPECT_EQ(s[0], (std::pair<int64_t, int64_t>{0, 102649}));
  EXPECT_EQ(s.back().second, 1334428);
  for (size_t i = 1; i < s.size(); ++i) EXPECT_EQ(s[i].first, s[i - 1].second);
  EXPECT_EQ(SplitSteps(250000, 100000).size(), 2u);  // round half to even, as Python
  EXPECT_EQ(SplitSteps(350000, 100000).size(), 4u);
  EXPECT_EQ(SplitSteps(50, 100000), (std::vector<std::pair<int64_t, int64_t>>{{0, 50}}));
  EXPECT_TRUE(SplitSteps(0, 100).empty());
}

TEST(FilesetTest, MaxFilesKeepsTheFirstOfEachDataset) {
  auto datasets = ParseFileset(AgcFileset());
  ASSERT_TRUE(datasets);
  std::string first = (*datasets)[0].files[0].path;
  LimitFiles(*datasets, 2);
  for (const Dataset& d : *datasets) EXPECT_LE(d.files.size(), 2u);
  EXPECT_EQ((*datasets)[0].files[0].path, first);
}

TEST(FilesetTest, PreprocessedFilesetsRoundTrip) {
  PreprocessedDataset d{"ttbar__nominal", {{"process", "ttbar"}}, {}};
  PreprocessedFile ok;
  ok.input = {"/data/a.root", "https://x/a.root", "Events", 1000};
  ok.entries = 1000;
  ok.uuid = "00ff";
  ok.steps = SplitSteps(1000, 300);
  PreprocessedFile bad;
  bad.input = {"/data/b.root", "/data/b.root", "Events", -1};
  bad.error = "not a ROOT file";
  d.files = {ok, bad};
  nlohmann::json j = PreprocessedJson({d});
  EXPECT_EQ(j["ttbar__nominal"]["files"]["/data/a.root"]["num_entries"], 1000);
  EXPECT_EQ(j["ttbar__nominal"]["failed"]["/data/b.root"], "not a ROOT file");
  auto back = ParsePreprocessed(j);
  ASSERT_TRUE(back) << back.error().message();
  ASSERT_EQ(back->size(), 1u);
  ASSERT_EQ((*back)[0].files.size(), 2u);
  EXPECT_EQ((*back)[0].files[0].steps, ok.steps);
  EXPECT_EQ((*back)[0].files[0].input.original_path, "https://x/a.root");
  EXPECT_EQ((*back)[0].files[1].error, "not a ROOT file");
  EXPECT_FALSE(ParsePreprocessed(nlohmann::json::parse(R"({"d": {"files": {"p": {}}}})")));
}

}  // namespace
}  // namespace gantry::analysis
