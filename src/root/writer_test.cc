#include "root/writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "base/temp_dir.h"
#include "root/reader.h"
#include "root/scan.h"

namespace gantry::root {
namespace {

// A NanoAOD-shaped tree: a flat float, a flat bool, nJet + Jet_pt[nJet] + Jet_btag[nJet], and
// one branch of every other scalar type.
TreeSpec SyntheticTree(int64_t entries, int64_t per_basket) {
  std::mt19937_64 rng(7);
  std::vector<float> met(entries), jet_pt, jet_btag;
  std::vector<uint8_t> flag(entries);
  std::vector<uint32_t> njet(entries);
  std::vector<int32_t> counts(entries);
  std::vector<int8_t> c8(entries);
  std::vector<uint8_t> u8(entries);
  std::vector<int16_t> i16(entries);
  std::vector<uint16_t> u16(entries);
  std::vector<int32_t> i32(entries);
  std::vector<int64_t> i64(entries);
  std::vector<uint64_t> u64(entries);
  std::vector<double> f64(entries);
  for (int64_t e = 0; e < entries; ++e) {
    met[e] = static_cast<float>(rng() % 100000) / 1000.0f;
    flag[e] = rng() % 2;
    njet[e] = static_cast<uint32_t>(rng() % 7);
    counts[e] = static_cast<int32_t>(njet[e]);
    for (uint32_t j = 0; j < njet[e]; ++j) {
      jet_pt.push_back(25.0f + static_cast<float>(rng() % 50000) / 100.0f);
      jet_btag.push_back(static_cast<float>(rng() % 1000) / 1000.0f);
    }
    c8[e] = static_cast<int8_t>(rng() % 200 - 100);
    u8[e] = static_cast<uint8_t>(rng() % 256);
    i16[e] = static_cast<int16_t>(rng() % 60000 - 30000);
    u16[e] = static_cast<uint16_t>(rng() % 65536);
    i32[e] = static_cast<int32_t>(rng() % 2000000) - 1000000;
    i64[e] = static_cast<int64_t>(rng() % 4000000000000LL) - 2000000000000LL;
    u64[e] = rng();
    f64[e] = static_cast<double>(rng() % 1000000) / 7.0;
  }
  TreeSpec t;
  t.entries = entries;
  t.entries_per_basket = per_basket;
  t.branches.push_back(BranchColumn::Of("MET_pt", ScalarType::kFloat, met));
  t.branches.push_back(BranchColumn::Of("HLT_IsoMu24", ScalarType::kBool, flag));
  t.branches.push_back(BranchColumn::Of("nJet", ScalarType::kUInt, njet));
  BranchColumn pt = BranchColumn::Of("Jet_pt", ScalarType::kFloat, jet_pt);
  pt.count_branch = "nJet";
  pt.counts = counts;
  t.branches.push_back(pt);
  BranchColumn btag = BranchColumn::Of("Jet_btagCSVV2", ScalarType::kFloat, jet_btag);
  btag.count_branch = "nJet";
  btag.counts = counts;
  t.branches.push_back(btag);
  t.branches.push_back(BranchColumn::Of("c8", ScalarType::kChar, c8));
  t.branches.push_back(BranchColumn::Of("u8", ScalarType::kUChar, u8));
  t.branches.push_back(BranchColumn::Of("i16", ScalarType::kShort, i16));
  t.branches.push_back(BranchColumn::Of("u16", ScalarType::kUShort, u16));
  t.branches.push_back(BranchColumn::Of("i32", ScalarType::kInt, i32));
  t.branches.push_back(BranchColumn::Of("i64", ScalarType::kLong64, i64));
  t.branches.push_back(BranchColumn::Of("u64", ScalarType::kULong64, u64));
  t.branches.push_back(BranchColumn::Of("f64", ScalarType::kDouble, f64));
  return t;
}

double SumColumn(const BranchColumn& c) {
  BranchData d;
  d.type = c.type;
  d.values = c.values;
  return d.Sum();
}

TEST(WriterTest, TreesReadBackWithEveryTypeFlatAndJagged) {
  TempDir dir;
  std::string path = dir.path() + "/synthetic.root";
  TreeSpec spec = SyntheticTree(2500, 700);
  {
    auto w = Writer::Create(path);
    ASSERT_TRUE(w) << w.error().message();
    ASSERT_TRUE((*w)->WriteTree(spec));
    ASSERT_TRUE((*w)->Close());
  }
  auto f = File::Open(path);
  ASSERT_TRUE(f) << f.error().message();
  auto tree = ReadTree(**f, "Events");
  ASSERT_TRUE(tree) << tree.error().message();
  EXPECT_EQ(tree->entries, 2500);
  ASSERT_EQ(tree->branches.size(), spec.branches.size());
  const Branch* pt = tree->Find("Jet_pt");
  ASSERT_NE(pt, nullptr);
  EXPECT_EQ(pt->count_leaf, "nJet");
  EXPECT_EQ(pt->baskets.size(), 4u);
  auto scan = ScanTree(**f, "Events", {});
  ASSERT_TRUE(scan) << scan.error().message();
  ASSERT_EQ(scan->branches.size(), spec.branches.size());
  for (size_t i = 0; i < spec.branches.size(); ++i) {
    const BranchColumn& c = spec.branches[i];
    EXPECT_EQ(scan->branches[i].name, c.name);
    EXPECT_EQ(scan->branches[i].count,
              static_cast<int64_t>(c.values.size() / ScalarSize(c.type)))
        << c.name;
    EXPECT_EQ(scan->branches[i].sum, SumColumn(c)) << c.name;
  }
  std::vector<std::string> names = {"Jet_pt"};
  auto data = ReadBranches(**f, *tree, names);
  ASSERT_TRUE(data);
  EXPECT_EQ((*data)[0].values, spec.branches[3].values);
  for (int64_t e = 0; e < 2500; ++e) {
    ASSERT_EQ((*data)[0].offsets[e + 1] - (*data)[0].offsets[e], spec.branches[3].counts[e]);
  }
}

TEST(WriterTest, UncompressedFilesReadBackToo) {
  TempDir dir;
  std::string path = dir.path() + "/raw.root";
  TreeSpec spec = SyntheticTree(300, 1000);
  auto w = Writer::Create(path, 0);
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->WriteTree(spec));
  ASSERT_TRUE((*w)->Close());
  auto f = File::Open(path);
  ASSERT_TRUE(f);
  EXPECT_EQ((*f)->header().compress, 100);
  auto scan = ScanTree(**f, "Events", {"Jet_pt"});
  ASSERT_TRUE(scan) << scan.error().message();
  EXPECT_EQ(scan->branches[0].sum, SumColumn(spec.branches[3]));
}

TEST(WriterTest, HistogramsReadBack) {
  TempDir dir;
  std::string path = dir.path() + "/histograms.root";
  Histogram1D h{"4j1b_ttbar", "HT", 25, 50, 550, {}, {}, 123, "H_T [GeV]"};
  for (int i = 0; i < 27; ++i) {
    h.sumw.push_back(i * 1.5);
    h.sumw2.push_back(i * 0.25);
  }
  auto w = Writer::Create(path);
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->WriteHistogram(h));
  ASSERT_TRUE((*w)->WriteTree(SyntheticTree(10, 10)));
  ASSERT_TRUE((*w)->Close());
  auto f = File::Open(path);
  ASSERT_TRUE(f);
  auto back = ReadHistogram(**f, "4j1b_ttbar");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->bins, 25);
  EXPECT_EQ(back->low, 50);
  EXPECT_EQ(back->high, 550);
  EXPECT_EQ(back->sumw, h.sumw);
  EXPECT_EQ(back->sumw2, h.sumw2);
  EXPECT_EQ(back->entries, 123);
  EXPECT_EQ(back->x_title, "H_T [GeV]");
  EXPECT_TRUE(ReadTree(**f, "Events"));
}

// Runs testdata/decode_root.py (the independent decoder) and returns what it prints.
std::string RunDecoder(const std::string& args) {
  std::string command = "/usr/bin/python3 " + std::string(GANTRY_SOURCE_DIR) +
                        "/src/root/testdata/decode_root.py " + args + " 2>&1";
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST(WriterTest, TheIndependentDecoderReadsWhatWeWrite) {
  TempDir dir;
  std::string path = dir.path() + "/synthetic.root";
  TreeSpec spec = SyntheticTree(1200, 500);
  Histogram1D h{"hist", "m_{bjj}", 25, 50, 550, {}, {}, 42, "m [GeV]"};
  for (int i = 0; i < 27; ++i) {
    h.sumw.push_back(0.5 * i);
    h.sumw2.push_back(0.125 * i);
  }
  auto w = Writer::Create(path);
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->WriteTree(spec));
  ASSERT_TRUE((*w)->WriteHistogram(h));
  ASSERT_TRUE((*w)->Close());

  std::string text = RunDecoder(path + " Events");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["entries"], 1200);
  ASSERT_EQ(j["branches"].size(), spec.branches.size());
  for (const BranchColumn& c : spec.branches) {
    const nlohmann::json& b = j["branches"][c.name];
    EXPECT_EQ(b["count"].get<int64_t>(), static_cast<int64_t>(c.values.size() / ScalarSize(c.type)))
        << c.name;
    EXPECT_EQ(b["sum"].get<double>(), SumColumn(c)) << c.name;
  }
  std::string hist_text = RunDecoder("--th1d " + path + " hist");
  nlohmann::json hj = nlohmann::json::parse(hist_text, nullptr, false);
  ASSERT_FALSE(hj.is_discarded()) << hist_text;
  EXPECT_EQ(hj["bins"], 25);
  EXPECT_EQ(hj["low"], 50.0);
  EXPECT_EQ(hj["high"], 550.0);
  EXPECT_EQ(hj["entries"], 42.0);
  EXPECT_EQ(hj["sumw"].get<std::vector<double>>(), h.sumw);
  EXPECT_EQ(hj["sumw2"].get<std::vector<double>>(), h.sumw2);
  EXPECT_EQ(hj["title"], "m_{bjj}");
  EXPECT_EQ(hj["x_title"], "m [GeV]");
}

TEST(WriterTest, InconsistentInputIsRefused) {
  TempDir dir;
  auto w = Writer::Create(dir.path() + "/bad.root");
  ASSERT_TRUE(w);
  TreeSpec t = SyntheticTree(10, 10);
  t.entries = 11;
  EXPECT_FALSE((*w)->WriteTree(t));
  TreeSpec u = SyntheticTree(10, 10);
  u.branches[3].count_branch = "nMuon";
  auto r = (*w)->WriteTree(u);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("nMuon"), std::string::npos);
  Histogram1D h{"h", "", 3, 0, 1, {1, 2}, {}, 0, ""};
  EXPECT_FALSE((*w)->WriteHistogram(h));
}

}  // namespace
}  // namespace gantry::root
