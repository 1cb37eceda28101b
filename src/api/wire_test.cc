#include "api/wire.h"

#include <gtest/gtest.h>

namespace gantry::api {
namespace {

TEST(WireTest, PollRequestRoundTrips) {
  broker::PollRequest r;
  r.status = {"local", "host", 8, 16000, 6, 12000};
  broker::AttemptReport rep;
  rep.type = broker::AttemptReport::Type::kFinished;
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
  EXPECT_EQ(back.reports[0].type, broker::AttemptReport::Type::kFinished);
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

}  // namespace
}  // namespace gantry::api
