#include "root/file.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "root/test_data.h"
#include "root/tree.h"

namespace gantry::root {
namespace {

std::string Path(const std::string& name) { return SharedRootData() + "/" + name; }

TEST(FileTest, OpensTheHzzFileAndListsItsTree) {
  auto f = File::Open(Path("uproot-HZZ-zlib.root"));
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_FALSE((*f)->header().large());
  EXPECT_EQ((*f)->header().compress, 104);
  auto trees = ListTrees(**f);
  ASSERT_TRUE(trees);
  EXPECT_EQ(*trees, std::vector<std::string>{"events"});
  auto classes = (*f)->ReadStreamerInfo();
  ASSERT_TRUE(classes) << classes.error().message();
  bool has_ttree = false;
  for (const StreamerClass& c : *classes) has_ttree = has_ttree || (c.name == "TTree" && c.version == 19);
  EXPECT_TRUE(has_ttree);
}

TEST(FileTest, RefusesAFileThatIsNotRoot) {
  auto f = File::Open(MemorySource("GIF89a this is not a ROOT file at all", "x.gif"));
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message().find("not a ROOT file"), std::string::npos);
  // /etc/passwd starts with "root:x:0:0:..."
  auto text = File::Open(MemorySource(std::string("root:x:0:0:root:/root:/bin/bash\n") +
                                          std::string(200, 'x'),
                                      "passwd"));
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message().find("not a ROOT file"), std::string::npos)
      << text.error().message();
  auto empty = File::Open(MemorySource("", "empty"));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message().find("not a ROOT file"), std::string::npos);
}

TEST(FileTest, MissingFileSaysSo) {
  auto f = File::Open("/nonexistent/file.root");
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message().find("/nonexistent/file.root"), std::string::npos);
}

TEST(FileTest, TruncatedFilesAreErrorsNotCrashes) {
  auto bytes = ReadFile(Path("uproot-HZZ-lz4.root"));
  ASSERT_TRUE(bytes);
  for (size_t n : {size_t(10), size_t(60), size_t(200), size_t(5000), bytes->size() / 2,
                   bytes->size() - 100}) {
    auto f = File::Open(MemorySource(bytes->substr(0, n), "cut"));
    ASSERT_FALSE(f) << n;
    EXPECT_NE(f.error().message().find("truncated"), std::string::npos)
        << n << ": " << f.error().message();
  }
}

TEST(FileTest, AnRNTupleIsNamedAsSuch) {
  auto f = File::Open(Path("rntuple_nano.root"));
  ASSERT_TRUE(f) << f.error().message();
  auto t = ReadTree(**f, "Events");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("RNTuple"), std::string::npos) << t.error().message();
}

TEST(FileTest, NoSuchTreeIsNotFound) {
  auto f = File::Open(Path("uproot-HZZ-zlib.root"));
  ASSERT_TRUE(f);
  auto t = ReadTree(**f, "Events");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kNotFound);
}

TEST(FileTest, CorruptTreeRecordsAreErrors) {
  auto f = File::Open(Path("uproot-HZZ-uncompressed.root"));
  ASSERT_TRUE(f);
  auto key = (*f)->FindKey("events");
  ASSERT_TRUE(key);
  auto bytes = (*f)->ReadObject(*key);
  ASSERT_TRUE(bytes);
  // Every prefix of the record, and the record with a byte flipped at many places, must
  // parse or fail, never crash.
  for (size_t n = 0; n < bytes->size(); n += 97) {
    (void)ParseTree(bytes->substr(0, n), key->key_length, "TTree");
    std::string flipped = *bytes;
    flipped[n] ^= 0xff;
    (void)ParseTree(flipped, key->key_length, "TTree");
  }
  auto cut = ParseTree(bytes->substr(0, bytes->size() / 2), key->key_length, "TTree");
  EXPECT_FALSE(cut);
}

}  // namespace
}  // namespace gantry::root
