#include "base/file.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

namespace gantry {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/gantry_file_test_XXXXXX";
  return mkdtemp(tmpl);
}

TEST(FileTest, WriteAtomicThenReadBack) {
  std::string dir = TempDir();
  std::string path = dir + "/x";
  ASSERT_TRUE(WriteFileAtomic(path, "hello", 0600));
  EXPECT_EQ(ReadFile(path).value(), "hello");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(FileExists(path + ".tmp"));
}

TEST(FileTest, WriteNewFileRefusesToOverwrite) {
  std::string path = TempDir() + "/script";
  ASSERT_TRUE(WriteNewFile(path, "#!/bin/sh\n", 0700));
  EXPECT_EQ(ReadFile(path).value(), "#!/bin/sh\n");
  auto again = WriteNewFile(path, "x");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
}

TEST(FileTest, ReadMissingFileNamesThePath) {
  auto r = ReadFile("/nonexistent/gantry/file");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("/nonexistent/gantry/file"), std::string::npos);
}

TEST(FileTest, MakeDirsCreatesParents) {
  std::string dir = TempDir() + "/a/b/c";
  ASSERT_TRUE(MakeDirs(dir));
  EXPECT_TRUE(FileExists(dir));
  EXPECT_TRUE(MakeDirs(dir));  // idempotent
}

}  // namespace
}  // namespace gantry
