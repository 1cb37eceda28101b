// Queue (gantry q): filters, job-id selectors, newest-first pages over memory and history.
#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

class BrokerQueueTest : public BrokerTest {
 protected:
  int64_t SubmitArray(int64_t first, int64_t last, model::JobSpec s) {
    s.array = model::ArraySpec{};
    for (int64_t i = first; i <= last; ++i) s.array->task_ids.push_back(i);
    return Submit(std::move(s));
  }
  QueuePage Page(QueueFilter f, const model::Identity* who = nullptr) {
    auto r = broker_->Queue(who ? *who : alice_, f);
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : QueuePage{};
  }
  // "id:STATE" per row, or "job_[indexes]:STATE" for a row of many.
  std::vector<std::string> Labels(const QueuePage& page) {
    std::vector<std::string> out;
    for (const TaskSummary& r : page.rows) {
      std::string id = r.count > 1 ? std::to_string(r.task.job_id) + "_[" + r.indexes + "]"
                                   : std::to_string(r.task.id);
      out.push_back(id + ":" + std::string(model::StateName(r.task.state)));
    }
    return out;
  }
  // Runs all work to the end with exit code 0.
  void RunAll() {
    for (int i = 0; i < 100; ++i) {
      PollResponse work = Poll({}, 4);
      if (work.assignments.empty()) return;
      std::vector<AttemptReport> reports;
      for (const auto& a : work.assignments) {
        reports.push_back(Report(a.attempt.id, AttemptReport::Type::kFinished, 0));
      }
      Poll(reports, 0);
    }
  }
};

TEST_F(BrokerQueueTest, HeldAndWaitingTasksOfOneArrayKeepTheirOwnStatesAcrossARestart) {
  // Regression (issue 11.11): --array=1-3 --begin=now+1hour, hold 1_1 and 1_2, release 1_2.
  model::JobSpec s = Spec();
  s.begin_time = clock_.Now() + 3600 * kMicrosPerSecond;
  int64_t id = SubmitArray(1, 3, s);
  std::string j = std::to_string(id);
  ASSERT_TRUE(broker_->Hold(alice_, model::ParseTaskRef(j + "_1").value()));
  ASSERT_TRUE(broker_->Hold(alice_, model::ParseTaskRef(j + "_2").value()));
  ASSERT_TRUE(broker_->Release(alice_, model::ParseTaskRef(j + "_2").value()));
  auto check = [&] {
    QueuePage page = Page({});
    std::map<int64_t, TaskSummary> by_index;
    for (const TaskSummary& r : page.rows) {
      for (int64_t i = 1; i <= 3; ++i) {
        if (r.count == 1 ? r.task.array_index == i : r.indexes == std::to_string(i)) {
          by_index[i] = r;
        }
      }
    }
    ASSERT_EQ(by_index.size(), 3u) << testing::PrintToString(Labels(page));
    EXPECT_EQ(by_index[1].task.state, TaskState::kHeld);
    EXPECT_EQ(by_index[2].task.state, TaskState::kWaiting);
    EXPECT_EQ(by_index[3].task.state, TaskState::kWaiting);
    EXPECT_NE(by_index[2].task.reason.find("BeginTime"), std::string::npos);
    EXPECT_NE(by_index[3].task.reason.find("BeginTime"), std::string::npos);
  };
  check();
  Open();
  check();
}

TEST_F(BrokerQueueTest, HistoryPagesNewestFirstAcrossMemoryAndStore) {
  int64_t first = Submit(Spec("a"));
  int64_t second = Submit(Spec("b"));
  RunAll();
  int64_t held = Submit([&] { auto s = Spec("c"); s.hold = true; return s; }());
  QueueFilter f;
  f.include_finished = true;
  f.limit = 2;
  QueuePage page = Page(f);
  EXPECT_EQ(Labels(page), (std::vector<std::string>{std::to_string(held) + ":HELD",
                                                    std::to_string(second) + ":DONE"}));
  ASSERT_TRUE(page.next_cursor);
  f.cursor = page.next_cursor;
  page = Page(f);
  EXPECT_EQ(Labels(page), (std::vector<std::string>{std::to_string(first) + ":DONE"}));
  EXPECT_FALSE(page.next_cursor);
}

TEST_F(BrokerQueueTest, HistoryFiltersByUserBeforeTheLimit) {
  // Regression (issue 10.3): the oldest 10,000 tasks were read, then filtered.
  model::Identity root = Local(0, "root", {}, true);
  int64_t bobs = Submit(Spec("b"), &bob_);
  for (int i = 0; i < 5; ++i) Submit(Spec("a"));
  RunAll();
  QueueFilter f;
  f.include_finished = true;
  f.user = "bob";
  f.limit = 1;
  QueuePage page = Page(f, &root);
  ASSERT_EQ(page.rows.size(), 1u);
  EXPECT_EQ(page.rows[0].task.id, bobs);
  EXPECT_TRUE(Page(f).rows.empty());  // alice does not see bob's
}

TEST_F(BrokerQueueTest, SelectsArrayTasksByIndexAndByTheirOwnIds) {
  int64_t id = SubmitArray(1, 6, [&] { auto s = Spec(); s.hold = true; return s; }());
  QueueFilter f;
  f.jobs = model::ParseJobList(std::to_string(id + 1)).value();  // 1_2 by its own id
  EXPECT_EQ(Labels(Page(f)), (std::vector<std::string>{std::to_string(id + 1) + ":HELD"}));
  f.jobs = model::ParseJobList(std::to_string(id) + "_[2-3,6]").value();
  EXPECT_EQ(Labels(Page(f)),
            (std::vector<std::string>{std::to_string(id + 5) + ":HELD", std::to_string(id + 2) +
                                      ":HELD", std::to_string(id + 1) + ":HELD"}));
  f.jobs = model::ParseJobList(std::to_string(id)).value();
  EXPECT_EQ(Labels(Page(f)), (std::vector<std::string>{std::to_string(id) + "_[1-6]:HELD"}));
  // And once finished, from the store the same way.
  ASSERT_TRUE(broker_->Release(alice_, TaskRef{id, {}}));
  RunAll();
  f.include_finished = true;
  f.jobs = model::ParseJobList(std::to_string(id + 1) + "," + std::to_string(id) + "_6").value();
  EXPECT_EQ(Labels(Page(f)), (std::vector<std::string>{std::to_string(id + 5) + ":DONE",
                                                       std::to_string(id + 1) + ":DONE"}));
}

TEST_F(BrokerQueueTest, FiltersByAListOfStates) {
  int64_t held = Submit([&] { auto s = Spec(); s.hold = true; return s; }());
  int64_t done = Submit(Spec());
  RunAll();
  int64_t ready = Submit(Spec());
  QueueFilter f;
  f.states = model::ParseStateList("PD").value();
  EXPECT_EQ(Labels(Page(f)), (std::vector<std::string>{std::to_string(ready) + ":READY",
                                                       std::to_string(held) + ":HELD"}));
  f.states = model::ParseStateList("held,CD").value();
  f.include_finished = true;
  EXPECT_EQ(Labels(Page(f)), (std::vector<std::string>{std::to_string(done) + ":DONE",
                                                       std::to_string(held) + ":HELD"}));
}

}  // namespace
}  // namespace gantry::broker
