#include "store/group_commit.h"

#include <atomic>

#include <gtest/gtest.h>

namespace gantry::store {
namespace {

// Records what it is asked to write; a write may be made to wait (a slow disk) or to fail.
class RecordingStore final : public Store {
 public:
  Status Commit(const Batch& b) override { return CommitAll({&b}); }
  Status CommitAll(const std::vector<const Batch*>& batches) override {
    std::unique_lock lock(mu_);
    ++writing_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !blocked_; });
    --writing_;
    std::vector<int64_t> ids;
    for (const Batch* b : batches) ids.push_back(b->tasks.at(0).id);
    groups_.push_back(ids);
    if (fail_) return Fail(ResourceExhausted("disk full"));
    return {};
  }
  void Block() {
    std::lock_guard lock(mu_);
    blocked_ = true;
  }
  void Unblock() {
    std::lock_guard lock(mu_);
    blocked_ = false;
    cv_.notify_all();
  }
  void AwaitWriting() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return writing_ > 0; });
  }
  void SetFail(bool fail) {
    std::lock_guard lock(mu_);
    fail_ = fail;
  }
  std::vector<std::vector<int64_t>> Groups() {
    std::lock_guard lock(mu_);
    return groups_;
  }

  Result<ActiveState> LoadActive() override { return ActiveState{}; }
  Result<std::optional<model::Job>> GetJob(int64_t) override { return std::nullopt; }
  Result<std::optional<model::Task>> GetTask(int64_t) override { return std::nullopt; }
  Result<std::vector<model::Task>> GetTasksOfJob(int64_t) override {
    return std::vector<model::Task>{};
  }
  Result<std::vector<model::Task>> ListTasks(const TaskFilter&) override {
    return std::vector<model::Task>{};
  }
  Result<std::vector<model::Task>> ListHistory(const HistoryQuery&) override {
    return std::vector<model::Task>{};
  }
  Result<std::vector<model::Event>> GetEvents(int64_t) override {
    return std::vector<model::Event>{};
  }
  Result<std::vector<model::Attempt>> GetAttempts(int64_t) override {
    return std::vector<model::Attempt>{};
  }
  Result<std::optional<model::ArrayTail>> GetTailCovering(int64_t) override {
    return std::nullopt;
  }
  Result<std::vector<model::ArrayTail>> ListTails(const TaskFilter&) override {
    return std::vector<model::ArrayTail>{};
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool blocked_ = false;
  bool fail_ = false;
  int writing_ = 0;
  std::vector<std::vector<int64_t>> groups_;
};

Batch Tx(int64_t id) {
  Batch b;
  model::Task t;
  t.id = id;
  b.tasks.push_back(t);
  return b;
}

// Collects outcomes as the committer reports them.
struct Outcomes {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<GroupCommitter::Outcome> seen;
  GroupCommitter::Done Callback() {
    return [this](const std::vector<GroupCommitter::Outcome>& outcomes) {
      std::lock_guard lock(mu);
      seen.insert(seen.end(), outcomes.begin(), outcomes.end());
      cv.notify_all();
    };
  }
  std::vector<GroupCommitter::Outcome> AwaitCount(size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return seen.size() >= n; });
    return seen;
  }
};

TEST(GroupCommitterTest, WritesWhatQueuedBehindASlowWriteInOneTransaction) {
  RecordingStore store;
  Outcomes outcomes;
  GroupCommitter committer(store, outcomes.Callback());
  store.Block();
  committer.Submit(1, 0, Tx(1));
  store.AwaitWriting();  // the first write is on the disk
  for (int64_t seq = 2; seq <= 5; ++seq) committer.Submit(seq, 0, Tx(seq));
  store.Unblock();
  auto seen = outcomes.AwaitCount(5);
  EXPECT_EQ(store.Groups(), (std::vector<std::vector<int64_t>>{{1}, {2, 3, 4, 5}}));
  EXPECT_EQ(committer.GroupsForTest(), 2);
  EXPECT_EQ(committer.LargestGroupForTest(), 4);
  for (const auto& o : seen) EXPECT_TRUE(o.status) << o.seq;
}

TEST(GroupCommitterTest, ReportsOutcomesInSubmissionOrder) {
  RecordingStore store;
  Outcomes outcomes;
  GroupCommitter committer(store, outcomes.Callback(), /*max_group=*/7);
  for (int64_t seq = 1; seq <= 200; ++seq) committer.Submit(seq, 0, Tx(seq));
  auto seen = outcomes.AwaitCount(200);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].seq, static_cast<int64_t>(i) + 1);
  std::vector<int64_t> written;
  for (const auto& group : store.Groups()) {
    EXPECT_LE(group.size(), 7u);
    written.insert(written.end(), group.begin(), group.end());
  }
  ASSERT_EQ(written.size(), 200u);
  for (size_t i = 0; i < written.size(); ++i) EXPECT_EQ(written[i], static_cast<int64_t>(i) + 1);
}

TEST(GroupCommitterTest, AFailedWriteFailsWhatItsEpochDecidedBehindItUnwritten) {
  RecordingStore store;
  Outcomes outcomes;
  GroupCommitter committer(store, outcomes.Callback());
  store.Block();
  store.SetFail(true);
  committer.Submit(1, 0, Tx(1));
  store.AwaitWriting();
  committer.Submit(2, 0, Tx(2));  // decided on top of 1
  store.Unblock();
  auto seen = outcomes.AwaitCount(1);
  EXPECT_FALSE(seen[0].status);
  store.SetFail(false);
  // Whether 2 was taken with 1 or after it, it fails; so does a later one of epoch 0.
  committer.Submit(3, 0, Tx(3));
  committer.Submit(4, 1, Tx(4));  // decided after the caller reloaded: written
  seen = outcomes.AwaitCount(4);
  ASSERT_EQ(seen.size(), 4u);
  ASSERT_FALSE(seen[1].status);
  ASSERT_FALSE(seen[2].status);
  EXPECT_EQ(seen[2].status.error().message(), "disk full") << "the cause, as its own write's";
  EXPECT_EQ(seen[2].status.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_TRUE(seen[3].status) << seen[3].status.error().message();
  for (const auto& group : store.Groups()) {
    for (int64_t id : group) EXPECT_TRUE(id == 1 || id == 2 || id == 4) << id;
  }
  EXPECT_EQ(store.Groups().back(), std::vector<int64_t>{4});
}

TEST(GroupCommitterTest, StoppingWritesWhatIsQueued) {
  RecordingStore store;
  Outcomes outcomes;
  {
    GroupCommitter committer(store, outcomes.Callback());
    store.Block();
    committer.Submit(1, 0, Tx(1));
    store.AwaitWriting();
    committer.Submit(2, 0, Tx(2));
    committer.Submit(3, 0, Tx(3));
    store.Unblock();
  }
  EXPECT_EQ(outcomes.AwaitCount(3).size(), 3u);
  EXPECT_EQ(store.Groups(), (std::vector<std::vector<int64_t>>{{1}, {2, 3}}));
}

}  // namespace
}  // namespace gantry::store
