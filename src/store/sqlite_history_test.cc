// The history query: finished tasks, newest first, paged, every filter in SQL.
#include <stdlib.h>

#include <gtest/gtest.h>

#include "store/store.h"

namespace gantry::store {
namespace {

using model::TaskState;

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gantry_history_test_XXXXXX";
    store_ = OpenSqliteStore(std::string(mkdtemp(tmpl)) + "/db").value();
  }

  // A job of `tasks` tasks (an array when more than one) with ids from id.
  void AddJob(int64_t id, int tasks, uint32_t uid, const std::string& user,
              const std::string& name, TaskState state) {
    Batch b;
    model::Job j;
    j.id = id;
    j.owner = {uid, uid, user};
    j.spec.name = name;
    j.spec.script = "#!/bin/sh\ntrue\n";
    j.spec.submit_dir = j.spec.working_dir = "/tmp";
    b.new_jobs.push_back(j);
    for (int i = 0; i < tasks; ++i) {
      model::Task t;
      t.id = id + i;
      t.job_id = id;
      if (tasks > 1) t.array_index = i + 1;
      t.owner_uid = uid;
      t.state = state;
      b.tasks.push_back(t);
    }
    ASSERT_TRUE(store_->Commit(b));
  }

  std::vector<int64_t> Ids(const HistoryQuery& q) {
    std::vector<int64_t> out;
    std::vector<model::Task> tasks = store_->ListHistory(q).value();
    for (const model::Task& t : tasks) out.push_back(t.id);
    return out;
  }

  void Fill() {
    AddJob(1, 1, 1000, "alice", "a", TaskState::kDone);
    AddJob(2, 3, 1001, "bob", "b", TaskState::kFailed);  // 2_1..2_3 are ids 2..4
    AddJob(5, 1, 1000, "alice", "a", TaskState::kCancelled);
    AddJob(6, 1, 1000, "alice", "c", TaskState::kRunning);  // not history
    AddJob(7, 1, 1001, "bob", "a", TaskState::kDone);
  }

  std::unique_ptr<Store> store_;
};

TEST_F(HistoryTest, ListsFinishedTasksNewestFirst) {
  Fill();
  EXPECT_EQ(Ids({}), (std::vector<int64_t>{7, 5, 4, 3, 2, 1}));
}

TEST_F(HistoryTest, PagesWithALimitAndACursor) {
  Fill();
  EXPECT_EQ(Ids({.limit = 4}), (std::vector<int64_t>{7, 5, 4, 3}));
  EXPECT_EQ(Ids({.before_id = 3, .limit = 4}), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(Ids({.before_id = 1, .limit = 4}), (std::vector<int64_t>{}));
}

TEST_F(HistoryTest, FiltersByUserBeforeTheLimit) {
  // Regression: the filter ran after a limit on the oldest rows, so bob's could be missing.
  Fill();
  EXPECT_EQ(Ids({.owner_name = "bob", .limit = 2}), (std::vector<int64_t>{7, 4}));
  EXPECT_EQ(Ids({.owner_name = "alice"}), (std::vector<int64_t>{5, 1}));
  EXPECT_EQ(Ids({.owner_name = "nobody"}), (std::vector<int64_t>{}));
  EXPECT_EQ(Ids({.owner_uid = 1000, .owner_name = "bob"}), (std::vector<int64_t>{}));
}

TEST_F(HistoryTest, AUserNameUnderTwoUidsFindsBoth) {
  Fill();
  AddJob(8, 1, 2000, "bob", "b", TaskState::kDone);  // bob's account renumbered
  EXPECT_EQ(Ids({.owner_name = "bob", .limit = 3}), (std::vector<int64_t>{8, 7, 4}));
}

TEST_F(HistoryTest, FiltersByStateNameAndJobIds) {
  Fill();
  EXPECT_EQ(Ids({.states = {TaskState::kDone}}), (std::vector<int64_t>{7, 1}));
  EXPECT_EQ(Ids({.states = {TaskState::kDone, TaskState::kCancelled}}),
            (std::vector<int64_t>{7, 5, 1}));
  EXPECT_EQ(Ids({.states = {TaskState::kRunning}}), (std::vector<int64_t>{}));
  EXPECT_EQ(Ids({.name = "a"}), (std::vector<int64_t>{7, 5, 1}));
  EXPECT_EQ(Ids({.name = "a", .before_id = 7, .limit = 1}), (std::vector<int64_t>{5}));
  EXPECT_EQ(Ids({.name = "b"}), (std::vector<int64_t>{4, 3, 2}));  // an array's tasks
  EXPECT_EQ(Ids({.owner_uid = 1001, .name = "a"}), (std::vector<int64_t>{7}));
  EXPECT_EQ(Ids({.owner_name = "alice", .name = "a", .states = {TaskState::kDone}}),
            (std::vector<int64_t>{1}));
  auto jobs = [](std::vector<model::JobSelector> s) { return HistoryQuery{.jobs = s}; };
  EXPECT_EQ(Ids(jobs({{2, {}}})), (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(Ids(jobs({{3, {}}})), (std::vector<int64_t>{3}));  // a task's own id
  EXPECT_EQ(Ids(jobs({{2, {{2, 3}}}, {1, {}}})), (std::vector<int64_t>{4, 3, 1}));
  EXPECT_EQ(Ids(jobs({{6, {}}})), (std::vector<int64_t>{}));  // unfinished
  HistoryQuery mine = jobs({{2, {}}, {5, {}}});
  mine.owner_uid = 1000;
  EXPECT_EQ(Ids(mine), (std::vector<int64_t>{5}));
}

}  // namespace
}  // namespace gantry::store
