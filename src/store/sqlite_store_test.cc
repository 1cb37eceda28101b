#include <stdlib.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "base/file.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace gantry::store {
namespace {

using model::TaskState;

std::string TempDir() {
  char tmpl[] = "/tmp/gantry_store_test_XXXXXX";
  return mkdtemp(tmpl);
}

model::Job SampleJob(int64_t id) {
  model::Job j;
  j.id = id;
  j.owner = {1000, 1000, "alice"};
  j.submit_time = 5;
  j.spec.name = "demo";
  j.spec.script = "#!/bin/sh\ntrue\n";
  j.spec.submit_dir = j.spec.working_dir = "/tmp";
  return j;
}

model::Task SampleTask(int64_t id, TaskState state) {
  model::Task t;
  t.id = id;
  t.job_id = 1;
  t.owner_uid = 1000;
  t.state = state;
  t.event_seq = 1;
  return t;
}

model::Event SampleEvent(int64_t task, int64_t seq, TaskState state) {
  return {task, seq, 10 * seq, "server", "state", state, "because"};
}

TEST(SqliteStoreTest, CommitsAndLoadsActiveWork) {
  std::string dir = TempDir();
  auto store = OpenSqliteStore(dir + "/db").value();
  Batch b;
  b.new_jobs.push_back(SampleJob(1));
  b.tasks = {SampleTask(1, TaskState::kReady), SampleTask(2, TaskState::kDone)};
  b.events = {SampleEvent(1, 1, TaskState::kReady), SampleEvent(2, 1, TaskState::kDone)};
  ASSERT_TRUE(store->Commit(b));

  auto active = store->LoadActive().value();
  ASSERT_EQ(active.tasks.size(), 1u);
  EXPECT_EQ(active.tasks[0].id, 1);
  EXPECT_EQ(active.tasks[0].owner_uid, 1000u);
  ASSERT_EQ(active.jobs.size(), 1u);
  EXPECT_EQ(active.jobs[0].spec.name, "demo");
  EXPECT_EQ(active.max_id, 2);

  auto listed = store->ListTasks({.include_finished = true}).value();
  EXPECT_EQ(listed.size(), 2u);
  EXPECT_EQ(store->ListTasks({.owner_uid = 7}).value().size(), 0u);
}

TEST(SqliteStoreTest, AFailedBatchLeavesNothingBehind) {
  std::string dir = TempDir();
  auto store = OpenSqliteStore(dir + "/db").value();
  Batch first;
  first.new_jobs.push_back(SampleJob(1));
  first.tasks = {SampleTask(1, TaskState::kReady)};
  first.events = {SampleEvent(1, 1, TaskState::kReady)};
  ASSERT_TRUE(store->Commit(first));

  Batch bad;
  model::Task moved = SampleTask(1, TaskState::kScheduled);
  bad.tasks = {moved};
  bad.events = {SampleEvent(1, 1, TaskState::kScheduled)};  // duplicate seq: constraint fails
  EXPECT_FALSE(store->Commit(bad));

  EXPECT_EQ(store->GetTask(1).value()->state, TaskState::kReady);
  EXPECT_EQ(store->GetEvents(1).value().size(), 1u);
}

TEST(SqliteStoreTest, EventsComeBackInSequenceOrder) {
  std::string dir = TempDir();
  auto store = OpenSqliteStore(dir + "/db").value();
  Batch b;
  b.new_jobs.push_back(SampleJob(1));
  b.tasks = {SampleTask(1, TaskState::kRunning)};
  b.events = {SampleEvent(1, 3, TaskState::kRunning), SampleEvent(1, 1, TaskState::kReady),
              SampleEvent(1, 2, TaskState::kScheduled)};
  ASSERT_TRUE(store->Commit(b));
  auto events = store->GetEvents(1).value();
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(events[i].seq, i + 1);
  EXPECT_EQ(events[1].state, TaskState::kScheduled);
}

TEST(SqliteStoreTest, ReopeningKeepsEverything) {
  std::string dir = TempDir();
  {
    auto store = OpenSqliteStore(dir + "/db").value();
    Batch b;
    b.new_jobs.push_back(SampleJob(1));
    b.tasks = {SampleTask(1, TaskState::kHeld)};
    ASSERT_TRUE(store->Commit(b));
  }
  auto store = OpenSqliteStore(dir + "/db").value();
  EXPECT_EQ(store->GetTask(1).value()->state, TaskState::kHeld);
  EXPECT_EQ(store->GetJob(1).value()->owner.name, "alice");
}

TEST(SqliteStoreTest, AJobKeepsItsVoAndGroupAndAnEventWhoCausedIt) {
  std::string dir = TempDir();
  {
    auto store = OpenSqliteStore(dir + "/db").value();
    Batch b;
    model::Job job = SampleJob(1);
    job.vo = "cms";
    job.group = "/cms/prod";
    b.new_jobs.push_back(job);
    b.tasks = {SampleTask(1, TaskState::kReady)};
    model::Event e = SampleEvent(1, 1, TaskState::kReady);
    e.source = "token:8a3e@https://iam.example/";
    e.subject = "8a3e";
    e.issuer = "https://iam.example/";
    e.vo = "cms";
    b.events = {e};
    b.agent_drains = {{"node7", true, "disk swap", "unix:root@local", 42}};
    ASSERT_TRUE(store->Commit(b));
  }
  auto store = OpenSqliteStore(dir + "/db").value();
  auto job = store->GetJob(1).value();
  EXPECT_EQ(job->vo, "cms");
  EXPECT_EQ(job->group, "/cms/prod");
  auto events = store->GetEvents(1).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].subject, "8a3e");
  EXPECT_EQ(events[0].issuer, "https://iam.example/");
  EXPECT_EQ(events[0].vo, "cms");
  auto active = store->LoadActive().value();
  ASSERT_EQ(active.agent_drains.size(), 1u);
  EXPECT_EQ(active.agent_drains[0].name, "node7");
  EXPECT_EQ(active.agent_drains[0].reason, "disk swap");
  Batch resume;
  resume.agent_drains = {{"node7", false, "", "", 0}};
  ASSERT_TRUE(store->Commit(resume));
  EXPECT_TRUE(store->LoadActive().value().agent_drains.empty());
}

TEST(SqliteStoreTest, HistoryOfAVoHoldsOnlyThatVosJobs) {
  std::string dir = TempDir();
  auto store = OpenSqliteStore(dir + "/db").value();
  Batch b;
  for (int64_t id = 1; id <= 3; ++id) {
    model::Job job = SampleJob(id);
    job.vo = id == 2 ? "atlas" : "cms";
    job.owner.uid = static_cast<uint32_t>(1000 + id);
    b.new_jobs.push_back(job);
    model::Task t = SampleTask(id, TaskState::kDone);
    t.job_id = id;
    t.owner_uid = job.owner.uid;
    b.tasks.push_back(t);
  }
  ASSERT_TRUE(store->Commit(b));
  auto cms = store->ListHistory({.vos = {"cms"}}).value();
  ASSERT_EQ(cms.size(), 2u);
  EXPECT_EQ(cms[0].id, 3);
  EXPECT_EQ(cms[1].id, 1);
  EXPECT_EQ(store->ListHistory({.vos = {"it's"}}).value().size(), 0u);
}

model::ArrayTail SampleTail(int64_t job_id, int64_t count) {
  model::ArrayTail t;
  t.job_id = job_id;
  t.owner_uid = 1000;
  t.count = count;
  t.state = TaskState::kReady;
  t.reason = "ready";
  return t;
}

TEST(SqliteStoreTest, ATailIsOneRowAndComesBackWithItsJournalAndTakenTasks) {
  std::string dir = TempDir();
  {
    auto store = OpenSqliteStore(dir + "/db").value();
    Batch b;
    b.new_jobs.push_back(SampleJob(10));
    model::ArrayTail tail = SampleTail(10, 1'000'000);
    b.tails = {tail};
    b.tail_events = {SampleEvent(10, 1, TaskState::kSubmitted), SampleEvent(10, 2, TaskState::kReady)};
    ASSERT_TRUE(store->Commit(b));
    // Position 7 leaves the tail out of order, position 0 in order.
    Batch take;
    tail.taken = {7};
    tail.next = 1;
    take.tails = {tail};
    model::Task t7 = SampleTask(17, TaskState::kHeld);
    t7.job_id = 10;
    model::Task t0 = SampleTask(10, TaskState::kRunning);
    t0.job_id = 10;
    take.tasks = {t7, t0};
    ASSERT_TRUE(store->Commit(take));
  }
  auto store = OpenSqliteStore(dir + "/db").value();
  auto active = store->LoadActive().value();
  ASSERT_EQ(active.tails.size(), 1u);
  const model::ArrayTail& t = active.tails[0];
  EXPECT_EQ(t.next, 1);
  EXPECT_EQ(t.taken, (std::set<int64_t>{7}));
  EXPECT_EQ(t.Pristine(), 999'998);
  EXPECT_EQ(t.owner_uid, 1000u);
  ASSERT_EQ(t.journal.size(), 2u);
  EXPECT_EQ(t.journal[1].state, TaskState::kReady);
  EXPECT_EQ(t.journal[1].task_id, 0);
  EXPECT_EQ(active.max_id, 10 + 1'000'000 - 1);  // the whole range stays reserved
  ASSERT_EQ(active.jobs.size(), 1u);

  EXPECT_EQ(store->GetTailCovering(10 + 999'999).value()->job_id, 10);
  EXPECT_FALSE(store->GetTailCovering(10 + 1'000'000).value());
  EXPECT_FALSE(store->GetTailCovering(9).value());
  EXPECT_EQ(store->ListTails({}).value().size(), 1u);
  EXPECT_EQ(store->ListTails({.owner_uid = 7}).value().size(), 0u);

  // Cancelled: finished, but its untouched tasks still show with --all.
  Batch cancel;
  model::ArrayTail cancelled = t;
  cancelled.state = TaskState::kCancelled;
  cancel.tails = {cancelled};
  ASSERT_TRUE(store->Commit(cancel));
  EXPECT_EQ(store->LoadActive().value().tails.size(), 0u);
  EXPECT_EQ(store->ListTails({}).value().size(), 0u);
  EXPECT_EQ(store->ListTails({.include_finished = true}).value().size(), 1u);
}

TEST(SqliteStoreTest, MigratesAVersion1Database) {
  std::string dir = TempDir();
  sqlite3* db;
  ASSERT_EQ(sqlite3_open((dir + "/db").c_str(), &db), SQLITE_OK);
  std::string v1 = std::string(kSchemaV1) + "PRAGMA application_id = " +
                   std::to_string(kApplicationId) + "; PRAGMA user_version = 1;" +
                   "INSERT INTO jobs VALUES(1, 1000, 1000, 'alice', 5, 'old', '{}');";
  ASSERT_EQ(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenSqliteStore(dir + "/db");
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ((*store)->GetJob(1).value()->spec.name, "");
  EXPECT_EQ((*store)->GetJob(1).value()->vo, "");  // version 4: jobs before it have no VO
  EXPECT_EQ((*store)->ListTails({.include_finished = true}).value().size(), 0u);
}

TEST(SqliteStoreTest, RefusesAForeignDatabase) {
  std::string dir = TempDir();
  sqlite3* db;
  ASSERT_EQ(sqlite3_open((dir + "/db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE photos(x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto r = OpenSqliteStore(dir + "/db");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("not Gantry's"), std::string::npos) << r.error().message();
}

TEST(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  std::string dir = TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/db", std::string(8192, 'x')));
  auto r = OpenSqliteStore(dir + "/db");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find(dir + "/db"), std::string::npos) << r.error().message();
  EXPECT_EQ(ReadFile(dir + "/db").value(), std::string(8192, 'x'));  // untouched
}

TEST(SqliteErrorTest, StorageFaultsMapToCodesTheCliExplains) {
  // 507 for a full disk, 503 for a lock held elsewhere or a damaged file: never 409/500.
  EXPECT_EQ(SqliteError(nullptr, SQLITE_FULL, "commit").code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(SqliteError(nullptr, SQLITE_BUSY, "commit").code(), ErrorCode::kUnavailable);
  Error corrupt = SqliteError(nullptr, SQLITE_CORRUPT, "read");
  EXPECT_EQ(corrupt.code(), ErrorCode::kUnavailable);
  EXPECT_NE(corrupt.message().find("damaged"), std::string::npos) << corrupt.message();
  EXPECT_EQ(SqliteError(nullptr, SQLITE_IOERR_WRITE, "commit").code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace gantry::store
