#include "base/as_user.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry {
namespace {

constexpr uid_t kNobody = 65534;

class OpenAsUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: it switches to another user's rights";
    ASSERT_TRUE(WriteNewFile(secret_, "root only\n", 0600).has_value());
    ASSERT_EQ(chmod(dir_.path().c_str(), 0755), 0);
  }
  TempDir dir_;
  std::string secret_ = dir_.path() + "/secret";
};

TEST_F(OpenAsUserTest, RefusesAFileOnlyRootMayRead) {
  auto fd = OpenAsUser(secret_, O_RDONLY, {.uid = kNobody, .gid = kNobody});
  ASSERT_FALSE(fd.has_value());
  EXPECT_EQ(fd.error().code(), ErrorCode::kPermissionDenied) << fd.error().message();
}

TEST_F(OpenAsUserTest, RefusesARootOnlyFileBehindASymlink) {
  std::string link = dir_.path() + "/slurm-1.out";
  ASSERT_EQ(symlink(secret_.c_str(), link.c_str()), 0);
  auto fd = OpenAsUser(link, O_RDONLY, {.uid = kNobody, .gid = kNobody});
  EXPECT_FALSE(fd.has_value());
}

TEST_F(OpenAsUserTest, OpensWhatTheUserMayRead) {
  std::string mine = dir_.path() + "/mine";
  ASSERT_TRUE(WriteNewFile(mine, "x", 0600).has_value());
  ASSERT_EQ(chown(mine.c_str(), kNobody, kNobody), 0);
  auto fd = OpenAsUser(mine, O_RDONLY, {.uid = kNobody, .gid = kNobody});
  ASSERT_TRUE(fd.has_value()) << fd.error().message();
  close(*fd);
}

TEST_F(OpenAsUserTest, LeavesTheThreadWithItsOwnRightsAfterwards) {
  ASSERT_FALSE(OpenAsUser(secret_, O_RDONLY, {.uid = kNobody, .gid = kNobody}).has_value());
  int fd = open(secret_.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << "root lost its rights on this thread";
  close(fd);
}

}  // namespace
}  // namespace gantry
