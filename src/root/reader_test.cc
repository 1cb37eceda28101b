#include "root/reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "root/scan.h"
#include "root/test_data.h"

namespace gantry::root {
namespace {

std::string Path(const std::string& name) { return SharedRootData() + "/" + name; }

struct Expected {
  int64_t entries = -1;
  std::map<std::string, std::pair<int64_t, double>> branches;
};

// testdata/conformance.txt: values decoded by testdata/decode_root.py, which reads the
// trees through the files' own streamer info (independently of this reader).
std::map<std::pair<std::string, std::string>, Expected> LoadConformance() {
  std::ifstream in(std::string(GANTRY_SOURCE_DIR) + "/src/root/testdata/conformance.txt");
  std::map<std::pair<std::string, std::string>, Expected> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string file, tree, what;
    s >> file >> tree >> what;
    Expected& e = out[{file, tree}];
    if (what == "entries") {
      s >> e.entries;
    } else {
      int64_t count;
      std::string sum;
      s >> count >> sum;
      e.branches[what] = {count, sum == "nan" ? std::nan("") : std::stod(sum)};
    }
  }
  return out;
}

TEST(ReaderTest, EveryFileMatchesTheIndependentDecoder) {
  auto cases = LoadConformance();
  ASSERT_GE(cases.size(), 11u);
  for (const auto& [key, expected] : cases) {
    const auto& [file_name, tree_name] = key;
    SCOPED_TRACE(file_name + " " + tree_name);
    auto f = File::Open(Path(file_name));
    ASSERT_TRUE(f) << f.error().message();
    auto scan = ScanTree(**f, tree_name, {});
    ASSERT_TRUE(scan) << scan.error().message();
    EXPECT_EQ(scan->entries, expected.entries);
    EXPECT_EQ(scan->branches.size(), expected.branches.size());
    for (const BranchSummary& b : scan->branches) {
      auto it = expected.branches.find(b.name);
      ASSERT_NE(it, expected.branches.end()) << b.name;
      EXPECT_EQ(b.count, it->second.first) << b.name;
      if (std::isnan(it->second.second)) {
        EXPECT_TRUE(std::isnan(b.sum)) << b.name;
      } else {
        // Both sum in entry order in double: the results agree to the last bit.
        EXPECT_EQ(b.sum, it->second.second) << b.name;
      }
    }
  }
}

TEST(ReaderTest, AllFiveCompressionsGiveTheSameValues) {
  std::vector<std::string> reference;
  for (const char* codec : {"uncompressed", "zlib", "lzma", "lz4", "zstd"}) {
    auto f = File::Open(Path(std::string("uproot-HZZ-") + codec + ".root"));
    ASSERT_TRUE(f) << codec << ": " << f.error().message();
    auto scan = ScanTree(**f, "events", {});
    ASSERT_TRUE(scan) << codec << ": " << scan.error().message();
    std::string json = ScanJson(*scan);
    if (reference.empty()) reference.push_back(json);
    EXPECT_EQ(json, reference[0]) << codec;
  }
}

TEST(ReaderTest, JaggedOffsetsAgreeWithTheCountBranch) {
  auto f = File::Open(Path("agc_open-data-example.root"));
  ASSERT_TRUE(f);
  auto tree = ReadTree(**f, "Events");
  ASSERT_TRUE(tree) << tree.error().message();
  std::vector<std::string> names = {"nMuon", "Muon_pt"};
  auto data = ReadBranches(**f, *tree, names);
  ASSERT_TRUE(data) << data.error().message();
  const BranchData& n = (*data)[0];
  const BranchData& pt = (*data)[1];
  ASSERT_EQ(n.entries, tree->entries);
  ASSERT_EQ(pt.offsets.size(), static_cast<size_t>(tree->entries) + 1);
  auto counts = n.As<uint32_t>();
  for (int64_t i = 0; i < n.entries; ++i) {
    ASSERT_EQ(pt.offsets[i + 1] - pt.offsets[i], static_cast<int64_t>(counts[i])) << i;
  }
  EXPECT_EQ(pt.offsets.back(), pt.count());
}

TEST(ReaderTest, EntryRangesSplitTheTreeExactly) {
  auto f = File::Open(Path("uproot-HZZ-zstd.root"));
  ASSERT_TRUE(f);
  auto tree = ReadTree(**f, "events");
  ASSERT_TRUE(tree);
  std::vector<std::string> names = {"Jet_Px", "NJet", "MET_px"};
  auto whole = ReadBranches(**f, *tree, names);
  ASSERT_TRUE(whole);
  int64_t count = 0;
  double sum = 0;
  for (int64_t start = 0; start < tree->entries; start += 700) {
    ReadOptions o;
    o.entry_start = start;
    o.entry_stop = start + 700;
    auto part = ReadBranches(**f, *tree, names, o);
    ASSERT_TRUE(part) << part.error().message();
    EXPECT_EQ((*part)[1].entries, std::min<int64_t>(700, tree->entries - start));
    count += (*part)[0].count();
    for (int64_t i = 0; i < (*part)[0].count(); ++i) sum += (*part)[0].Value(i);
  }
  EXPECT_EQ(count, (*whole)[0].count());
  EXPECT_EQ(sum, (*whole)[0].Sum());
}

TEST(ReaderTest, ParallelDecodingMatchesOneThread) {
  auto f = File::Open(Path("coffea_nano_dimuon.root"));
  ASSERT_TRUE(f);
  ReadOptions one, four;
  one.threads = 1;
  four.threads = 4;
  auto a = ScanTree(**f, "Events", {}, one);
  auto b = ScanTree(**f, "Events", {}, four);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(ScanJson(*a), ScanJson(*b));
}

TEST(ReaderTest, ReadsOnlyTheBasketsOfTheBranchesAskedFor) {
  auto f = File::Open(Path("uproot-HZZ-zlib.root"));
  ASSERT_TRUE(f);
  auto tree = ReadTree(**f, "events");
  ASSERT_TRUE(tree);
  const Branch* b = tree->Find("Jet_Px");
  ASSERT_NE(b, nullptr);
  uint64_t expected = 0;
  for (const BasketLocation& loc : b->baskets) expected += static_cast<uint64_t>(loc.bytes);
  ReadStats stats;
  std::vector<std::string> names = {"Jet_Px"};
  ASSERT_TRUE(ReadBranches(**f, *tree, names, {}, &stats));
  EXPECT_EQ(stats.bytes_read, expected);
  EXPECT_EQ(stats.vector_reads, 1u);
}

TEST(ReaderTest, UnknownBranchIsNotFoundWithItsName) {
  auto f = File::Open(Path("uproot-HZZ-zlib.root"));
  ASSERT_TRUE(f);
  auto scan = ScanTree(**f, "events", {"Jet_Px", "Jet_Nope"});
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(scan.error().message().find("Jet_Nope"), std::string::npos);
}

TEST(ReaderTest, CorruptBasketsAreErrorsNamingTheBranch) {
  auto f = File::Open(Path("uproot-HZZ-zlib.root"));
  ASSERT_TRUE(f);
  auto tree = ReadTree(**f, "events");
  ASSERT_TRUE(tree);
  const Branch* b = tree->Find("Jet_Px");
  ASSERT_NE(b, nullptr);
  ASSERT_FALSE(b->baskets.empty());
  auto record = (*f)->source().ReadAt(b->baskets[0].seek, b->baskets[0].bytes);
  ASSERT_TRUE(record);
  ASSERT_TRUE(DecodeBasket(*record, *b));
  for (size_t i = 0; i < record->size(); i += 13) {
    std::string broken = *record;
    broken[i] ^= 0x5a;
    (void)DecodeBasket(broken, *b);  // must not crash
    (void)DecodeBasket(record->substr(0, i), *b);
  }
  auto cut = DecodeBasket(record->substr(0, record->size() - 10), *b);
  ASSERT_FALSE(cut);
}

}  // namespace
}  // namespace gantry::root
