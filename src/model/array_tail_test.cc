#include "model/array_tail.h"

#include <gtest/gtest.h>

namespace gantry::model {
namespace {

ArrayTail Tail(int64_t count) {
  ArrayTail t;
  t.job_id = 100;
  t.owner_uid = 1000;
  t.count = count;
  t.state = TaskState::kReady;
  t.journal.push_back({0, 1, 5, "cli", "submitted", TaskState::kSubmitted, "by me"});
  t.journal.push_back({0, 2, 5, "server", "state", TaskState::kReady, "ready"});
  return t;
}

TEST(ArrayTailTest, TakingInOrderMovesTheWatermarkOnly) {
  ArrayTail t = Tail(5);
  EXPECT_EQ(t.Pristine(), 5);
  t.Take(0);
  t.Take(1);
  EXPECT_EQ(t.next, 2);
  EXPECT_TRUE(t.taken.empty());
  EXPECT_FALSE(t.Contains(1));
  EXPECT_TRUE(t.Contains(2));
  EXPECT_EQ(t.NextPristine(), 2);
}

TEST(ArrayTailTest, TakingOutOfOrderIsRememberedUntilTheWatermarkPasses) {
  ArrayTail t = Tail(5);
  t.Take(3);
  EXPECT_EQ(t.next, 0);
  EXPECT_EQ(t.Pristine(), 4);
  EXPECT_FALSE(t.Contains(3));
  EXPECT_EQ(t.NextPristine(3), 4);
  t.Take(0);
  t.Take(1);
  t.Take(2);
  EXPECT_EQ(t.next, 4);  // 3 was taken already: the watermark jumps over it
  EXPECT_TRUE(t.taken.empty());
  t.Take(4);
  EXPECT_EQ(t.Pristine(), 0);
  EXPECT_TRUE(t.Finished());
  EXPECT_EQ(t.NextPristine(), std::nullopt);
}

TEST(ArrayTailTest, CancelledTailIsFinishedWithTasksLeft) {
  ArrayTail t = Tail(5);
  t.state = TaskState::kCancelled;
  EXPECT_TRUE(t.Finished());
  EXPECT_EQ(t.Pristine(), 5);
}

TEST(ArrayTailTest, TaskAtCarriesTheTailsStateAndJournal) {
  ArrayTail t = Tail(3);
  std::vector<int64_t> ids = {10, 20, 30};
  Task task = t.TaskAt(2, ids);
  EXPECT_EQ(task.id, 102);
  EXPECT_EQ(task.job_id, 100);
  EXPECT_EQ(task.array_index, 30);
  EXPECT_EQ(task.owner_uid, 1000u);
  EXPECT_EQ(task.state, TaskState::kReady);
  EXPECT_EQ(task.event_seq, 2);
  auto journal = t.JournalOf(2);
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[0].task_id, 102);
  EXPECT_EQ(journal[1].seq, 2);
}

TEST(ArrayTailTest, IndexTextCompressesRunsAndSkipsTakenTasks) {
  std::vector<int64_t> ids = {0, 1, 2, 3, 4, 5, 10, 12, 13, 14};
  ArrayTail t = Tail(static_cast<int64_t>(ids.size()));
  EXPECT_EQ(PristineIndexText(t, ids), "0-5,10,12-14");
  t.Take(0);
  t.Take(3);
  t.Take(8);
  EXPECT_EQ(PristineIndexText(t, ids), "1-2,4-5,10,12,14");
  t.Take(9);
  t.Take(7);
  EXPECT_EQ(PristineIndexText(t, ids), "1-2,4-5,10");
}

TEST(ArrayTailTest, IndexTextOfAMillionIsOneRange) {
  std::vector<int64_t> ids(1'000'000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
  ArrayTail t = Tail(1'000'000);
  t.Take(0);
  t.Take(500'000);
  EXPECT_EQ(PristineIndexText(t, ids), "1-499999,500001-999999");
}

}  // namespace
}  // namespace gantry::model
