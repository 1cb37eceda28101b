// The usage table (schema v5) as the store's triggers keep it, read through UsageReader.
#include "store/usage_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace gantry::store {
namespace {

using model::AttemptState;
using model::TaskState;

constexpr TimeMicros kSecond = kMicrosPerSecond;
constexpr TimeMicros kT0 = 1'700'000'000 * kSecond;

// A plain copy of a record (the reader's views die with the row).
struct Row {
  int64_t attempt_id, job_id, attempt, cores, gpus;
  std::string user, vo, group, account, partition, state;
  double elapsed, user_cpu;
  int64_t max_rss_kb;
};

class UsageReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gantry_usage_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
    store_ = OpenSqliteStore(dir_ + "/db").value();
    reader_ = UsageReader::Open(dir_ + "/db").value();
  }

  // Job `id` (its one task has the same id) of `user` in `vo`, submitted at kT0.
  void AddJob(int64_t id, std::string user, uint32_t uid, std::string vo, std::string account = "",
              int64_t cpus = 1, int64_t gpus = 0) {
    model::Job j;
    j.id = id;
    j.owner = {uid, uid, user};
    j.vo = vo;
    j.group = vo.empty() ? "" : "/" + vo;
    j.submit_time = kT0;
    j.spec.name = "job" + std::to_string(id);
    j.spec.script = "#!/bin/sh\ntrue\n";
    j.spec.submit_dir = j.spec.working_dir = "/tmp";
    j.spec.account = account;
    j.spec.cpus_per_task = cpus;
    j.spec.gpus = gpus;
    j.spec.partition = "batch";
    model::Task t;
    t.id = t.job_id = id;
    t.owner_uid = uid;
    t.state = TaskState::kReady;
    Batch b;
    b.new_jobs.push_back(j);
    b.tasks.push_back(t);
    ASSERT_TRUE(store_->Commit(b));
  }

  model::Attempt Attempt(int64_t id, int64_t task, int64_t number, TimeMicros start, TimeMicros end,
                         int exit_code = 0, std::string reason = "") {
    model::Attempt a;
    a.id = id;
    a.task_id = task;
    a.number = number;
    a.agent = "node1";
    a.state = end ? AttemptState::kEnded : AttemptState::kRunning;
    a.scheduled_time = start;
    a.start_time = start;
    a.end_time = end;
    a.exit_code = exit_code;
    a.usage = {1.5, 0.25, static_cast<double>(end - start) / kSecond, 2048};
    a.reason = reason.empty() ? "exited with status " + std::to_string(exit_code) : reason;
    return a;
  }

  void Write(const model::Attempt& a, bool cancel_requested = false) {
    model::Task t;
    t.id = t.job_id = a.task_id;
    t.owner_uid = 1000;
    t.state = TaskState::kRunning;
    t.cancel_requested = cancel_requested;
    Batch b;
    b.tasks.push_back(t);
    b.attempts.push_back(a);
    ASSERT_TRUE(store_->Commit(b));
  }

  std::vector<Row> Read(model::UsageFilter f = All()) {
    std::vector<Row> out;
    auto s = reader_->Scan(f, [&](const model::UsageRecord& r) {
      out.push_back({r.attempt_id, r.job_id, r.attempt, r.cores, r.gpus, std::string(r.user),
                     std::string(r.vo), std::string(r.group), std::string(r.account),
                     std::string(r.partition), std::string(r.state), r.elapsed_seconds,
                     r.user_cpu_seconds, r.max_rss_kb});
      return true;
    });
    EXPECT_TRUE(s) << s.error().message();
    return out;
  }
  static model::UsageFilter All() {
    model::UsageFilter f;
    f.all_visible = true;
    return f;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<UsageReader> reader_;
};

TEST_F(UsageReaderTest, AnEndedAttemptIsChargedOnceWithItsIdentityAndSize) {
  AddJob(1, "alice", 1000, "cms", "physics", /*cpus=*/4, /*gpus=*/1);
  Write(Attempt(10, 1, 1, kT0, 0));  // running: not charged yet
  EXPECT_TRUE(Read().empty());
  Write(Attempt(10, 1, 1, kT0, kT0 + 3600 * kSecond));
  auto rows = Read();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].user, "alice");
  EXPECT_EQ(rows[0].vo, "cms");
  EXPECT_EQ(rows[0].group, "/cms");
  EXPECT_EQ(rows[0].account, "physics");
  EXPECT_EQ(rows[0].partition, "batch");
  EXPECT_EQ(rows[0].cores, 4);
  EXPECT_EQ(rows[0].gpus, 1);
  EXPECT_EQ(rows[0].state, "COMPLETED");
  EXPECT_DOUBLE_EQ(rows[0].elapsed, 3600);
  EXPECT_DOUBLE_EQ(rows[0].user_cpu, 1.5);
  EXPECT_EQ(rows[0].max_rss_kb, 2048);
}

TEST_F(UsageReaderTest, AScanFillsOnlyTheColumnsItIsAskedFor) {
  AddJob(1, "alice", 1000, "cms", "physics", /*cpus=*/4);
  Write(Attempt(10, 1, 1, kT0, kT0 + 60 * kSecond, /*exit_code=*/2));
  model::UsageFilter f = All();
  f.columns = {model::UsageColumn::kJobId, model::UsageColumn::kState,
               model::UsageColumn::kStartTime, model::UsageColumn::kEndTime};
  auto rows = Read(f);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].job_id, 1);
  EXPECT_EQ(rows[0].state, "FAILED");
  EXPECT_DOUBLE_EQ(rows[0].elapsed, 60);
  EXPECT_EQ(rows[0].user, "");  // not asked for: the default
  EXPECT_EQ(rows[0].cores, 0);
  EXPECT_EQ(rows[0].attempt_id, 0);
  // The filters still apply to columns not read.
  f.users = {"bob"};
  EXPECT_TRUE(Read(f).empty());
  f.users = {"alice"};
  f.columns = {};
  EXPECT_EQ(Read(f).size(), 1u);
}

TEST_F(UsageReaderTest, RewritingAnEndedAttemptReplacesItsRecordInsteadOfAddingOne) {
  AddJob(1, "alice", 1000, "cms");
  // Lost with its agent: charged up to the loss, as NODE_FAIL.
  Write(Attempt(10, 1, 1, kT0, kT0 + 60 * kSecond, -1,
                "agent node1 lost (silent for more "
                "than 60 s)"));
  ASSERT_EQ(Read().size(), 1u);
  EXPECT_EQ(Read()[0].state, "NODE_FAIL");
  // The same attempt written again (a late report, a replayed batch): still one record.
  Write(Attempt(10, 1, 1, kT0, kT0 + 90 * kSecond));
  auto rows = Read();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].elapsed, 90);
}

TEST_F(UsageReaderTest, EachRetryIsItsOwnRecordAndAnUnstartedAttemptIsNone) {
  AddJob(1, "alice", 1000, "cms");
  Write(Attempt(10, 1, 1, kT0, kT0 + 10 * kSecond, 3));
  Write(Attempt(11, 1, 2, kT0 + 20 * kSecond, kT0 + 30 * kSecond, 0));
  model::Attempt withdrawn = Attempt(12, 1, 3, 0, kT0 + 40 * kSecond);
  withdrawn.start_time = 0;
  Write(withdrawn);
  auto rows = Read();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].attempt, 1);
  EXPECT_EQ(rows[0].state, "FAILED");
  EXPECT_EQ(rows[1].attempt, 2);
  EXPECT_EQ(rows[1].state, "COMPLETED");
}

TEST_F(UsageReaderTest, StatesFollowHowTheAttemptEnded) {
  AddJob(1, "alice", 1000, "cms");
  AddJob(2, "alice", 1000, "cms");
  AddJob(3, "alice", 1000, "cms");
  Write(Attempt(10, 1, 1, kT0, kT0 + 1 * kSecond, 0, "wall-time limit exceeded"));
  Write(Attempt(11, 2, 1, kT0, kT0 + 2 * kSecond, 0, "memory limit exceeded"));
  model::Attempt killed = Attempt(12, 3, 1, kT0, kT0 + 3 * kSecond, 0, "killed by signal 15");
  killed.signal = 15;
  Write(killed, /*cancel_requested=*/true);
  auto rows = Read();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].state, "TIMEOUT");
  EXPECT_EQ(rows[1].state, "OUT_OF_MEMORY");
  EXPECT_EQ(rows[2].state, "CANCELLED");
}

TEST_F(UsageReaderTest, FiltersSelectByUserVoAccountWindowAndAccess) {
  AddJob(1, "alice", 1000, "cms");
  AddJob(2, "bob", 1001, "atlas", "higgs");
  AddJob(3, "alice", 1000, "cms");
  Write(Attempt(10, 1, 1, kT0, kT0 + 100 * kSecond));
  Write(Attempt(11, 2, 1, kT0, kT0 + 200 * kSecond));
  Write(Attempt(12, 3, 1, kT0 + 1000 * kSecond, kT0 + 1100 * kSecond));

  model::UsageFilter f = All();
  f.users = {"alice"};
  EXPECT_EQ(Read(f).size(), 2u);
  f = All();
  f.vos = {"atlas"};
  ASSERT_EQ(Read(f).size(), 1u);
  EXPECT_EQ(Read(f)[0].account, "higgs");
  f = All();
  f.accounts = {"/cms"};  // no -A: the group is the account
  EXPECT_EQ(Read(f).size(), 2u);
  // Ran at some moment of [T0+150, T0+1050]: bob's (till 200) and alice's second.
  f = All();
  f.start = kT0 + 150 * kSecond;
  f.end = kT0 + 1050 * kSecond;
  auto rows = Read(f);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].attempt_id, 11);
  EXPECT_EQ(rows[1].attempt_id, 12);
  // Access: bob sees his own; a see-vo cms role sees cms too.
  f = model::UsageFilter();
  f.visible_uid = 1001;
  EXPECT_EQ(Read(f).size(), 1u);
  f.visible_vos = {"cms"};
  EXPECT_EQ(Read(f).size(), 3u);
  f = All();
  f.job_ids = {3};
  ASSERT_EQ(Read(f).size(), 1u);
  EXPECT_EQ(Read(f)[0].attempt_id, 12);
  EXPECT_TRUE(reader_->AccountKnown("higgs").value());
  EXPECT_FALSE(reader_->AccountKnown("nosuch").value());
}

TEST_F(UsageReaderTest, AttemptsEndedBeforeTheMigrationAreChargedByIt) {
  AddJob(1, "alice", 1000, "cms");
  Write(Attempt(10, 1, 1, kT0, kT0 + 5 * kSecond));
  // Back to version 4, as a database from before accounting: the migration charges it.
  store_.reset();
  reader_.reset();
  std::string db = dir_ + "/db";
  {
    auto raw = Db::Open(db, /*read_only=*/false).value();
    ASSERT_TRUE(
        raw->Exec("DROP TRIGGER usage_on_insert; DROP TRIGGER usage_on_update; "
                  "DROP VIEW usage_source; DROP TABLE usage; DROP TABLE usage_meta; "
                  "PRAGMA user_version = 4;"));
  }
  store_ = OpenSqliteStore(db).value();
  reader_ = UsageReader::Open(db).value();
  auto rows = Read();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attempt_id, 10);
}

}  // namespace
}  // namespace gantry::store
