#include "exec/cgroup.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"

namespace gantry::exec {
namespace {

class CgroupManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mode_ = CgroupManager::Detect();
    if (mode_ == CgroupMode::kNone) GTEST_SKIP() << "no writable memory cgroup here";
    auto manager = CgroupManager::Create(mode_);
    ASSERT_TRUE(manager.has_value()) << manager.error().ToString();
    manager_ = std::move(*manager);
  }
  std::string Limit(const JobCgroup& group) const {
    std::string file = mode_ == CgroupMode::kV2 ? "/memory.max" : "/memory.limit_in_bytes";
    return std::string(Trim(ReadFile(group.path() + file).value_or("")));
  }
  std::string Unlimited() const {
    if (mode_ == CgroupMode::kV2) return "max";
    auto parent = ReadFile(manager_->parent_path() + "/memory.limit_in_bytes");
    return std::string(Trim(parent.value_or("")));
  }

  CgroupMode mode_ = CgroupMode::kNone;
  std::unique_ptr<CgroupManager> manager_;
};

TEST_F(CgroupManagerTest, HandsOutAnEmptyGroupWithItsMemoryLimit) {
  auto group = manager_->Acquire(64 << 20);
  ASSERT_TRUE(group.has_value()) << group.error().ToString();
  EXPECT_EQ(Limit(**group), "67108864");
  auto pids = (*group)->ReadPids();
  ASSERT_TRUE(pids.has_value());
  EXPECT_TRUE(pids->empty());
  EXPECT_FALSE((*group)->OomKilled());
  std::string path = (*group)->path();
  ASSERT_TRUE((*group)->Remove().has_value());
  EXPECT_FALSE(FileExists(path));
}

TEST_F(CgroupManagerTest, AReleasedGroupServesTheNextAttemptWithItsOwnLimit) {
  auto first = manager_->Acquire(64 << 20);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  std::string path = (*first)->path();
  manager_->Release(std::move(*first));
  EXPECT_EQ(manager_->pooled(), 1u);

  // Raised, lowered, lifted: each limit is what the next attempt gets.
  for (int64_t limit : {int64_t{128} << 20, int64_t{32} << 20, int64_t{0}, int64_t{16} << 20}) {
    auto again = manager_->Acquire(limit);
    ASSERT_TRUE(again.has_value()) << again.error().ToString();
    EXPECT_EQ((*again)->path(), path) << "the pooled group is reused, not a new one made";
    EXPECT_EQ(Limit(**again), limit > 0 ? std::to_string(limit) : Unlimited()) << limit;
    EXPECT_EQ(manager_->pooled(), 0u);
    manager_->Release(std::move(*again));
  }

  // Two at once: the second is a new group.
  auto a = manager_->Acquire(0);
  auto b = manager_->Acquire(0);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE((*a)->path(), (*b)->path());
  manager_->Release(std::move(*a));
  manager_->Release(std::move(*b));
  EXPECT_EQ(manager_->pooled(), 2u);
}

TEST_F(CgroupManagerTest, GoingAwayRemovesThePooledGroupsAndItsOwn) {
  auto group = manager_->Acquire(0);
  ASSERT_TRUE(group.has_value());
  std::string path = (*group)->path();
  manager_->Release(std::move(*group));
  std::string parent = manager_->parent_path();
  ASSERT_TRUE(FileExists(path));
  manager_.reset();
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(parent));
}

TEST(CgroupManagerNoneTest, RefusesToSetUpTheNoneMode) {
  EXPECT_FALSE(CgroupManager::Create(CgroupMode::kNone).has_value());
}

}  // namespace
}  // namespace gantry::exec
