#include "wire/json.h"

#include <gtest/gtest.h>

namespace gantry::wire {
namespace {

TEST(WireTest, PollRequestRoundTrips) {
  PollRequest r;
  r.status = {"local", "host", 8, 16000, 6, 12000};
  AttemptReport rep;
  rep.type = AttemptReport::Type::kFinished;
  rep.attempt_id = 7;
  rep.exit_code = 3;
  rep.usage.max_rss_kb = 1234;
  rep.stdout_path = "/tmp/o";
  r.reports.push_back(rep);
  r.running_attempts = {1, 2};
  r.max_wait_ms = 500;
  auto back = PollRequestFromJson(PollRequestToJson(r)).value();
  EXPECT_EQ(back.status.free_cpus, 6);
  ASSERT_EQ(back.reports.size(), 1u);
  EXPECT_EQ(back.reports[0].type, AttemptReport::Type::kFinished);
  EXPECT_EQ(back.reports[0].usage.max_rss_kb, 1234);
  EXPECT_EQ(back.running_attempts, (std::vector<int64_t>{1, 2}));
}

TEST(WireTest, MalformedPollRequestIsAnErrorNotACrash) {
  auto r = PollRequestFromJson(json{{"status", 3}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST(WireTest, InvalidJsonNamesTheByte) {
  auto r = ParseJson("{\"a\": ");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("invalid JSON at byte"), std::string::npos);
}

// Regression: a number too large even for a double threw past ParseJson, and the handler
// answered 500 instead of 400.
TEST(WireTest, ANumberBeyondDoubleIsInvalidJsonNotAnInternalError) {
  auto r = ParseJson("{\"ntasks\": 1e400}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message(), "invalid JSON: number overflow parsing '1e400'");
}

TEST(WireTest, TaskRoundTripsWithArrayIndex) {
  model::Task t;
  t.id = 5;
  t.job_id = 4;
  t.array_index = 1;
  t.state = model::TaskState::kHeld;
  auto back = TaskFromJson(TaskToJson(t)).value();
  EXPECT_EQ(back.array_index, 1);
  EXPECT_EQ(back.state, model::TaskState::kHeld);
}

// An array's tasks in one answer share one decoded job (its ids may number a million).
TEST(WireTest, PollResponseRoundTripsAndTasksOfOneJobShareIt) {
  auto job = std::make_shared<model::Job>();
  job->id = 40;
  job->owner = {1000, 1000, "alice"};
  job->spec.script = "#!/bin/sh\ntrue\n";
  job->spec.working_dir = job->spec.submit_dir = "/home/alice";
  job->spec.array = model::ArraySpec{};
  for (int64_t i = 0; i < 1000; ++i) job->spec.array->task_ids.push_back(i);
  PollResponse r;
  for (int64_t i = 0; i < 3; ++i) {
    Assignment a;
    a.job = job;
    a.task.id = 41 + i;
    a.task.job_id = 40;
    a.task.array_index = i;
    a.attempt.id = 100 + i;
    a.attempt.task_id = a.task.id;
    a.attempt.number = 1;
    a.array_task_count = 1000;
    r.assignments.push_back(a);
  }
  r.kill_attempts = {9};
  auto back = PollResponseFromJson(PollResponseToJson(r));
  ASSERT_TRUE(back) << back.error().message();
  ASSERT_EQ(back->assignments.size(), 3u);
  EXPECT_EQ(back->kill_attempts, (std::vector<int64_t>{9}));
  for (int64_t i = 0; i < 3; ++i) {
    const Assignment& a = back->assignments[static_cast<size_t>(i)];
    EXPECT_EQ(a.task.array_index, i);
    EXPECT_EQ(a.attempt.id, 100 + i);
    EXPECT_EQ(a.array_task_count, 1000);
    EXPECT_EQ(a.job.get(), back->assignments[0].job.get());
  }
  EXPECT_EQ(back->assignments[0].job->spec.array->task_ids.size(), 1000u);
  EXPECT_EQ(back->assignments[0].job->owner.name, "alice");
}

}  // namespace
}  // namespace gantry::wire
