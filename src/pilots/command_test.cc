#include "pilots/command.h"

#include <gtest/gtest.h>

namespace gantry::pilots {
namespace {

TEST(CommandTest, CapturesOutputAndExitCode) {
  auto r = RunCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10'000);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(CommandOutputLine(*r), "err");
}

TEST(CommandTest, AProgramNotOnPathSaysSo) {
  auto r = RunCommand({"gantry-no-such-program-xyz"}, 10'000);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("not on PATH"), std::string::npos);
}

TEST(CommandTest, AHungProgramIsKilledAtTheDeadline) {
  auto r = RunCommand({"sleep", "30"}, 200);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
}

TEST(CommandTest, StdinIsEmpty) {
  auto r = RunCommand({"cat"}, 10'000);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out, "");
}

}  // namespace
}  // namespace gantry::pilots
