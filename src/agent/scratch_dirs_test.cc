#include "agent/scratch_dirs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::agent {
namespace {

class ScratchDirsTest : public ::testing::Test {
 protected:
  static mode_t Mode(const std::string& path) {
    struct stat st = {};
    stat(path.c_str(), &st);
    return st.st_mode & 07777;
  }
  TempDir temp_{"scratch_dirs_test"};
  const std::string root_ = temp_.path();
};

TEST_F(ScratchDirsTest, AnEmptiedDirectoryServesTheNextAttempt) {
  ScratchDirs dirs(root_);
  auto first = dirs.Acquire(std::nullopt);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(Mode(*first), 0700u);
  // The attempt leaves files, a subtree, a symlink out of it, and a looser mode.
  ASSERT_TRUE(WriteNewFile(*first + "/left", "x").has_value());
  ASSERT_TRUE(MakeDirs(*first + "/sub/deeper").has_value());
  ASSERT_TRUE(WriteNewFile(root_ + "/outside", "keep").has_value());
  ASSERT_EQ(symlink((root_ + "/outside").c_str(), (*first + "/link").c_str()), 0);
  ASSERT_EQ(chmod(first->c_str(), 0777), 0);
  auto second = dirs.Acquire(std::nullopt);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*second, *first) << "one directory per running attempt";

  dirs.Release(*first);
  EXPECT_EQ(dirs.kept(), 1u);
  EXPECT_EQ(ReadFile(root_ + "/outside").value_or(""), "keep") << "symlinks are not followed";
  auto third = dirs.Acquire(std::nullopt);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(*third, *first);
  EXPECT_TRUE(std::filesystem::is_empty(*third));
  EXPECT_EQ(Mode(*third), 0700u);
  dirs.Release("/not/one/of/ours");  // ignored
  dirs.Release(*third);
  dirs.Release(*second);
  EXPECT_EQ(dirs.kept(), 2u);
}

TEST_F(ScratchDirsTest, KeptDirectoriesGoWithTheAgent) {
  std::string path;
  {
    ScratchDirs dirs(root_);
    auto dir = dirs.Acquire(std::nullopt);
    ASSERT_TRUE(dir.has_value());
    path = *dir;
    dirs.Release(path);
    EXPECT_TRUE(FileExists(path));
  }
  EXPECT_FALSE(FileExists(path));
}

TEST_F(ScratchDirsTest, AMissingRootIsAClearError) {
  ScratchDirs dirs(root_ + "/missing");
  auto dir = dirs.Acquire(std::nullopt);
  ASSERT_FALSE(dir.has_value());
  EXPECT_NE(dir.error().message().find("cannot create " + root_ + "/missing/"), std::string::npos)
      << dir.error().message();
}

}  // namespace
}  // namespace gantry::agent
