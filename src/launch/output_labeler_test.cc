#include "launch/output_labeler.h"

#include <gtest/gtest.h>

namespace gantry::launch {
namespace {

TEST(OutputLabelerTest, PrefixesEachCompleteLineAndKeepsPartialOnes) {
  OutputLabeler labeler(3);
  EXPECT_EQ(labeler.Feed("hello\nwor"), "3: hello\n");
  EXPECT_EQ(labeler.Feed("ld\n\n"), "3: world\n3: \n");
  EXPECT_EQ(labeler.Feed("tail"), "");
  EXPECT_EQ(labeler.Flush(), "3: tail\n");
  EXPECT_EQ(labeler.Flush(), "");
}

}  // namespace
}  // namespace gantry::launch
