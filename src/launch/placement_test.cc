#include "launch/placement.h"

#include <gtest/gtest.h>

namespace gantry::launch {
namespace {

TEST(PlacementTest, AllRanksOnOneHostByDefault) {
  auto p = BlockPlacement(4, 0, {"localhost"});
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->nodes.size(), 1u);
  EXPECT_EQ(p->nodes[0].ranks, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(ProcessMapping(*p), "(vector,(0,1,4))");
}

TEST(PlacementTest, PpnEmulatesNodesStandaloneWithARemainderNode) {
  auto p = BlockPlacement(5, 2, {"localhost"});
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->nodes.size(), 3u);
  EXPECT_EQ(p->nodes[2].ranks, (std::vector<int>{4}));
  EXPECT_EQ(ProcessMapping(*p), "(vector,(0,2,2),(2,1,1))");
}

TEST(PlacementTest, SpreadsOverSeveralHosts) {
  auto p = BlockPlacement(8, 0, {"a", "b"});
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->nodes.size(), 2u);
  EXPECT_EQ(p->nodes[1].host, "b");
  EXPECT_EQ(p->nodes[1].ranks.front(), 4);
}

TEST(PlacementTest, RejectsMoreNodesThanTheAllocationHas) {
  auto p = BlockPlacement(8, 2, {"a", "b"});
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message().find("need 4 nodes"), std::string::npos);
}

TEST(PlacementTest, RejectsZeroRanks) { EXPECT_FALSE(BlockPlacement(0, 0, {"a"}).has_value()); }

// --mpi flux is refused for emulated nodes (Open MPI's segments would collide on one host).
TEST(PlacementTest, EmulatedNodesShareAHostRealOnesDoNot) {
  EXPECT_TRUE(NodesShareAHost(*BlockPlacement(4, 2, {"localhost"})));
  EXPECT_FALSE(NodesShareAHost(*BlockPlacement(4, 4, {"localhost"})));
  EXPECT_FALSE(NodesShareAHost(*BlockPlacement(4, 2, {"a", "b"})));
}

}  // namespace
}  // namespace gantry::launch
