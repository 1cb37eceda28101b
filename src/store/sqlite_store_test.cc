#include <stdlib.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "base/file.h"
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
