#include "exec/gpus.h"

#include <gtest/gtest.h>

namespace gantry::exec {
namespace {

using Ids = std::vector<int>;

TEST(ParseGpuDeclarationTest, ACountDeclaresDevicesFromZero) {
  EXPECT_EQ(ParseGpuDeclaration("3").value(), (Ids{0, 1, 2}));
  EXPECT_EQ(ParseGpuDeclaration("0").value(), Ids{});
}

TEST(ParseGpuDeclarationTest, AListDeclaresExactlyThoseIds) {
  EXPECT_EQ(ParseGpuDeclaration("0,1,3").value(), (Ids{0, 1, 3}));
  EXPECT_EQ(ParseGpuDeclaration("3,0").value(), (Ids{0, 3}));
  EXPECT_EQ(ParseGpuDeclaration("2-3,6").value(), (Ids{2, 3, 6}));
  EXPECT_EQ(ParseGpuDeclaration("5-5").value(), Ids{5});
}

TEST(ParseGpuDeclarationTest, RefusesRepeatsBackwardRangesAndWords) {
  EXPECT_FALSE(ParseGpuDeclaration("1,1").has_value());
  EXPECT_FALSE(ParseGpuDeclaration("3-1").has_value());
  EXPECT_FALSE(ParseGpuDeclaration("two").has_value());
  EXPECT_FALSE(ParseGpuDeclaration("-1").has_value());
  EXPECT_FALSE(ParseGpuDeclaration("0,,1").has_value());
  EXPECT_FALSE(ParseGpuDeclaration("").has_value());
}

TEST(ParseNvidiaSmiIndexesTest, ReadsOneIndexPerLine) {
  EXPECT_EQ(ParseNvidiaSmiIndexes("0\n1\n 2 \n").value(), (Ids{0, 1, 2}));
  EXPECT_EQ(ParseNvidiaSmiIndexes("").value(), Ids{});
  EXPECT_FALSE(ParseNvidiaSmiIndexes("No devices were found\n").has_value());
}

TEST(GpuListTest, JoinsWithCommas) {
  EXPECT_EQ(GpuList({0, 1, 3}), "0,1,3");
  EXPECT_EQ(GpuList({}), "");
}

}  // namespace
}  // namespace gantry::exec
