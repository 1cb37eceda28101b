#include "broker/dependency_index.h"

#include <gtest/gtest.h>

namespace gantry::broker {
namespace {

model::Job Waiting(int64_t id, std::vector<std::string> parents,
                   model::DependencyType type = model::DependencyType::kAfterOk) {
  model::Job job;
  job.id = id;
  job.owner.uid = 1000;
  job.spec.name = "job";
  if (!parents.empty() || type == model::DependencyType::kSingleton) {
    job.spec.dependencies.push_back({type, std::move(parents)});
  }
  return job;
}

TEST(DependencyIndexTest, AChangeToAParentMakesOnlyItsDependantsDue) {
  DependencyIndex index;
  index.Add(Waiting(10, {"1"}));
  index.Add(Waiting(11, {"2"}));
  index.Add(Waiting(12, {"1", "2"}));
  index.Changed(1, 2);
  EXPECT_EQ(index.TakeDue(), (std::vector<int64_t>{10, 12}));
  EXPECT_TRUE(index.TakeDue().empty()) << "taken once";
  index.Changed(3, 4);
  EXPECT_TRUE(index.TakeDue().empty());
}

TEST(DependencyIndexTest, AnArrayTailChangeReachesDependantsOfItsTasksByTheirOwnIds) {
  DependencyIndex index;
  index.Add(Waiting(30, {"25"}));     // task 25 of array 20 (ids 20..29)
  index.Add(Waiting(31, {"20_3"}));   // the array, by index: filed under the array's id
  index.Add(Waiting(32, {"40"}));
  index.Changed(20, 30);
  EXPECT_EQ(index.TakeDue(), (std::vector<int64_t>{30, 31}));
}

TEST(DependencyIndexTest, AJobStaysFiledWhileAnyOfItsUnitsWaits) {
  DependencyIndex index;
  model::Job job = Waiting(10, {"1"});
  index.Add(job);
  index.Add(job);
  index.Remove(job);
  index.Changed(1, 2);
  EXPECT_EQ(index.TakeDue(), std::vector<int64_t>{10});
  index.Remove(job);
  EXPECT_EQ(index.FiledForTest(), 0);
  index.Changed(1, 2);
  EXPECT_TRUE(index.TakeDue().empty());
}

TEST(DependencyIndexTest, HasDependantsNamesTheParentsOnly) {
  DependencyIndex index;
  index.Add(Waiting(10, {"1"}));
  model::Job parent = Waiting(1, {});
  parent.owner.uid = 2000;
  model::Job other = Waiting(5, {});
  other.owner.uid = 2000;
  EXPECT_TRUE(index.HasDependants(parent, 1));
  EXPECT_FALSE(index.HasDependants(other, 5));
}

TEST(DependencyIndexTest, ASingletonIsDueWhenAJobOfItsNameAndOwnerFinishes) {
  DependencyIndex index;
  index.Add(Waiting(10, {}, model::DependencyType::kSingleton));
  index.Finished(1001, "job");
  EXPECT_TRUE(index.TakeDue().empty()) << "another user's job";
  index.Finished(1000, "other");
  EXPECT_TRUE(index.TakeDue().empty()) << "another name";
  index.Finished(1000, "job");
  EXPECT_EQ(index.TakeDue(), std::vector<int64_t>{10});
}

TEST(DependencyIndexTest, ABeginTimeMakesTheJobDueOnceTheClockPassesIt) {
  DependencyIndex index;
  model::Job job = Waiting(10, {});
  job.spec.begin_time = 1000;
  index.Add(job);
  index.Tick(999);
  EXPECT_TRUE(index.TakeDue().empty());
  index.Tick(1000);
  EXPECT_EQ(index.TakeDue(), std::vector<int64_t>{10});
  index.Tick(5000);
  EXPECT_TRUE(index.TakeDue().empty()) << "fired once";
}

TEST(DependencyIndexTest, AllDueAfterALoad) {
  DependencyIndex index;
  index.Add(Waiting(10, {"1"}));
  index.Add(Waiting(11, {"2"}));
  index.AllDue();
  EXPECT_EQ(index.TakeDue(), (std::vector<int64_t>{10, 11}));
}

}  // namespace
}  // namespace gantry::broker
