#include "api/returned_file.h"

#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/temp_dir.h"
#include "net/sha256.h"

namespace gantry::api {
namespace {

FileUser Me() { return {getuid(), getgid(), ""}; }

int Entries(const std::string& dir) {
  int n = 0;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.' || std::string(e->d_name).size() > 2;
  closedir(d);
  return n;
}

TEST(ReturnedFileTest, ReplacesTheTargetWithTheVerifiedBytes) {
  TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.File("out.txt"), "old"));
  std::string bytes = "new contents\n";
  ASSERT_TRUE(WriteReturnedFile({tmp.File("out.txt"), bytes, net::Sha256Hex(bytes), false, 7}, Me()));
  EXPECT_EQ(*ReadFile(tmp.File("out.txt")), bytes);
  EXPECT_EQ(Entries(tmp.path()), 1);  // no temporary file left
}

TEST(ReturnedFileTest, AppendsAfterWhatTheTargetHolds) {
  TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.File("slurm-1.out"), "attempt 1\n"));
  std::string bytes = "attempt 2\n";
  ASSERT_TRUE(
      WriteReturnedFile({tmp.File("slurm-1.out"), bytes, net::Sha256Hex(bytes), true, 8}, Me()));
  EXPECT_EQ(*ReadFile(tmp.File("slurm-1.out")), "attempt 1\nattempt 2\n");
}

TEST(ReturnedFileTest, RefusesBytesWhoseChecksumDoesNotMatchAndLeavesTheTarget) {
  TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.File("out.txt"), "old"));
  auto s = WriteReturnedFile({tmp.File("out.txt"), "corrupted", net::Sha256Hex("sent"), false, 7},
                             Me());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message().find("does not match"), std::string::npos);
  EXPECT_EQ(*ReadFile(tmp.File("out.txt")), "old");
  EXPECT_EQ(Entries(tmp.path()), 1);
}

TEST(ReturnedFileTest, AMissingDirectoryIsAnErrorThatNamesIt) {
  TempDir tmp;
  auto s = WriteReturnedFile(
      {tmp.File("gone/out.txt"), "x", net::Sha256Hex("x"), false, 7}, Me());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find(tmp.File("gone/")), std::string::npos) << s.error().message();
}

}  // namespace
}  // namespace gantry::api
