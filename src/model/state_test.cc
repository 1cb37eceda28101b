#include "model/state.h"

#include <gtest/gtest.h>

namespace gantry::model {
namespace {

TEST(StateTest, TerminalStatesHaveNoWayOut) {
  for (TaskState to : {TaskState::kReady, TaskState::kRunning, TaskState::kCancelled}) {
    EXPECT_FALSE(CanTransition(TaskState::kDone, to));
    EXPECT_FALSE(CanTransition(TaskState::kFailed, to));
    EXPECT_FALSE(CanTransition(TaskState::kCancelled, to));
  }
}

TEST(StateTest, FollowsTheDesignLifecycle) {
  EXPECT_TRUE(CanTransition(TaskState::kSubmitted, TaskState::kWaiting));
  EXPECT_TRUE(CanTransition(TaskState::kWaiting, TaskState::kReady));
  EXPECT_TRUE(CanTransition(TaskState::kReady, TaskState::kScheduled));
  EXPECT_TRUE(CanTransition(TaskState::kScheduled, TaskState::kRunning));
  EXPECT_TRUE(CanTransition(TaskState::kRunning, TaskState::kDone));
  EXPECT_TRUE(CanTransition(TaskState::kHeld, TaskState::kReady));
  EXPECT_FALSE(CanTransition(TaskState::kReady, TaskState::kRunning));
  EXPECT_FALSE(CanTransition(TaskState::kRunning, TaskState::kHeld));
}

TEST(StateTest, ParsesNamesAndSlurmCodes) {
  EXPECT_EQ(ParseState("running"), TaskState::kRunning);
  EXPECT_EQ(ParseState("R"), TaskState::kRunning);
  EXPECT_EQ(ParseState("CD"), TaskState::kDone);
  EXPECT_FALSE(ParseState("sleeping"));
  EXPECT_EQ(StateName(TaskState::kHeld), "HELD");
}

}  // namespace
}  // namespace gantry::model
