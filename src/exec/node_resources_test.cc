#include "exec/node_resources.h"

#include <gtest/gtest.h>
#include <sched.h>

namespace gantry::exec {
namespace {

TEST(DiscoverNodeResourcesTest, FindsNoMoreCoresThanOurAffinityAllows) {
  auto resources = DiscoverNodeResources();
  ASSERT_TRUE(resources.has_value()) << resources.error().ToString();
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  EXPECT_GE(resources->cores, 1);
  EXPECT_LE(resources->cores, CPU_COUNT(&set));
  EXPECT_GT(resources->memory_mb, 0);
}

TEST(DiscoverNodeResourcesTest, OverrideReplacesDiscoveredValues) {
  auto resources = DiscoverNodeResources({.cores = 64, .memory_mb = 1000});
  ASSERT_TRUE(resources.has_value());
  EXPECT_EQ(resources->cores, 64);
  EXPECT_EQ(resources->memory_mb, 1000);
}

TEST(DiscoverNodeResourcesTest, RejectsAnOverrideOfZeroCores) {
  EXPECT_FALSE(DiscoverNodeResources({.cores = 0, .memory_mb = 1000}).has_value());
}

TEST(DiscoverNodeResourcesTest, DeclaredGpusReplaceDiscovery) {
  auto resources = DiscoverNodeResources({.cores = 4, .memory_mb = 1000, .gpus = {{0, 1, 3}}});
  ASSERT_TRUE(resources.has_value());
  EXPECT_EQ(resources->gpus, (std::vector<int>{0, 1, 3}));
}

TEST(NodeLedgerTest, HandsOutEachGpuToOneReservationAtATime) {
  NodeLedger ledger({.cores = 8, .memory_mb = 1000, .gpus = {0, 1, 3}});
  auto first = ledger.Reserve(1, 0, 2);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->gpus(), (std::vector<int>{0, 1}));
  auto too_many = ledger.Reserve(1, 0, 2);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_NE(too_many.error().message().find("1 of 3 GPUs"), std::string::npos)
      << too_many.error().message();
  {
    auto second = ledger.Reserve(1, 0, 1);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->gpus(), std::vector<int>{3});
    EXPECT_TRUE(ledger.Free().gpus.empty());
  }
  EXPECT_EQ(ledger.Free().gpus, std::vector<int>{3});
  *first = Reservation();
  EXPECT_EQ(ledger.Free().gpus, (std::vector<int>{0, 1, 3}));
}

TEST(NodeLedgerTest, RefusesToOvercommitCoresOrMemory) {
  NodeLedger ledger({.cores = 2, .memory_mb = 1000});
  auto first = ledger.Reserve(2, 500);
  ASSERT_TRUE(first.has_value());
  auto no_cores = ledger.Reserve(1, 100);
  ASSERT_FALSE(no_cores.has_value());
  EXPECT_EQ(no_cores.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(no_cores.error().message().find("0 of 2 cores"), std::string::npos);
  EXPECT_FALSE(ledger.Reserve(0, 501).has_value());
  EXPECT_TRUE(ledger.Reserve(0, 500).has_value());  // released again at once
}

TEST(NodeLedgerTest, GivesResourcesBackWhenTheReservationEnds) {
  NodeLedger ledger({.cores = 4, .memory_mb = 100});
  {
    auto held = ledger.Reserve(3, 60);
    ASSERT_TRUE(held.has_value());
    Reservation moved = std::move(*held);
    EXPECT_EQ(ledger.Free().cores, 1);
    EXPECT_EQ(moved.cores(), 3);
  }
  EXPECT_EQ(ledger.Free().cores, 4);
  EXPECT_EQ(ledger.Free().memory_mb, 100);
}

}  // namespace
}  // namespace gantry::exec
