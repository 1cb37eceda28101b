#include "api/peek_hub.h"

#include <gtest/gtest.h>

#include <thread>

namespace gantry::api {
namespace {

using std::chrono::milliseconds;

TEST(PeekHubTest, AnAgentWithoutAChannelIsNotAsked) {
  PeekHub hub;
  EXPECT_FALSE(hub.Peek("n1", 7, "stdout", 0, 100, milliseconds(10'000)));
}

TEST(PeekHubTest, TheAgentAnswersWhatTheReaderAsked) {
  PeekHub hub;
  std::thread agent([&] {
    std::vector<PeekHub::Request> got;
    while (got.empty()) got = hub.Wait("n1", milliseconds(20'000));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].attempt_id, 7);
    EXPECT_EQ(got[0].stream, "stderr");
    EXPECT_EQ(got[0].offset, 5);
    EXPECT_EQ(got[0].max, PeekHub::kMaxChunk);  // clamped
    hub.Reply(got[0].id, {true, "chunk"});
  });
  // The channel exists once the agent waits: until then a peek is refused at once.
  std::optional<PeekHub::Answer> answer;
  while (!answer) {
    answer = hub.Peek("n1", 7, "stderr", 5, 1 << 30, milliseconds(20'000));
    if (!answer) std::this_thread::yield();
  }
  agent.join();
  EXPECT_TRUE(answer->found);
  EXPECT_EQ(answer->data, "chunk");
}

TEST(PeekHubTest, AReaderGivesUpAfterItsTimeoutAndALateReplyIsDropped) {
  PeekHub hub;
  (void)hub.Wait("n1", milliseconds(0));  // the channel is live
  EXPECT_FALSE(hub.Peek("n1", 7, "stdout", 0, 10, milliseconds(1)));
  hub.Reply(1, {true, "late"});  // nobody waits for it: nothing happens
  EXPECT_TRUE(hub.Wait("n1", milliseconds(0)).empty());  // the request was withdrawn
}

TEST(PeekHubTest, ShutdownWakesTheWaiters) {
  PeekHub hub;
  // Before or during its wait: either way the agent returns at once.
  std::thread agent([&] { EXPECT_TRUE(hub.Wait("n1", milliseconds(60'000)).empty()); });
  hub.Shutdown();
  agent.join();
  EXPECT_FALSE(hub.Peek("n1", 7, "stdout", 0, 10, milliseconds(10'000)));
}

}  // namespace
}  // namespace gantry::api
