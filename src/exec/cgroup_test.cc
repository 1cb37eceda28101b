#include "exec/cgroup.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"

namespace gantry::exec {
namespace {

TEST(CgroupManagerTest, CreatesAJobGroupWithItsMemoryLimitAndRemovesIt) {
  CgroupMode mode = CgroupManager::Detect();
  if (mode == CgroupMode::kNone) GTEST_SKIP() << "no writable memory cgroup here";
  auto manager = CgroupManager::Create(mode);
  ASSERT_TRUE(manager.has_value()) << manager.error().ToString();
  auto group = (*manager)->CreateJobCgroup("limit-test", 64 << 20);
  ASSERT_TRUE(group.has_value()) << group.error().ToString();
  std::string limit_file = mode == CgroupMode::kV2 ? "/memory.max" : "/memory.limit_in_bytes";
  EXPECT_EQ(Trim(ReadFile((*group)->path() + limit_file).value_or("")), "67108864");
  auto pids = (*group)->ReadPids();
  ASSERT_TRUE(pids.has_value());
  EXPECT_TRUE(pids->empty());
  EXPECT_FALSE((*group)->OomKilled());
  std::string path = (*group)->path();
  ASSERT_TRUE((*group)->Remove().has_value());
  EXPECT_FALSE(FileExists(path));
}

TEST(CgroupManagerTest, RejectsNamesThatWouldLeaveItsDirectory) {
  CgroupMode mode = CgroupManager::Detect();
  if (mode == CgroupMode::kNone) GTEST_SKIP() << "no writable memory cgroup here";
  auto manager = CgroupManager::Create(mode);
  ASSERT_TRUE(manager.has_value());
  for (const char* name : {"", ".", "..", "a/b"}) {
    EXPECT_FALSE((*manager)->CreateJobCgroup(name, 0).has_value()) << name;
  }
}

TEST(CgroupManagerTest, RefusesToSetUpTheNoneMode) {
  EXPECT_FALSE(CgroupManager::Create(CgroupMode::kNone).has_value());
}

}  // namespace
}  // namespace gantry::exec
