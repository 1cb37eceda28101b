// GPUs, partitions, node features and --exclusive (docs/resources.md).
#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {

using Type = AttemptReport::Type;

// An agent with 4 CPUs, 8000 MB and `gpus` GPUs, all free, in the given ad.
PollRequest GpuRequest(int64_t gpus, int64_t free_gpus, std::string ad = "[]") {
  PollRequest req;
  req.agent_id = "a1";
  req.status = {"a1", "host", 4, 8000, 4, 8000, std::move(ad)};
  req.status.total_gpus = gpus;
  req.status.free_gpus = free_gpus;
  return req;
}

std::string Why(Broker& broker, const model::Identity& who, int64_t id) {
  return broker.Describe(who, TaskRef{id, {}}).value()[0].why;
}

TEST_F(BrokerTest, GpusAreNeverPromisedTwice) {
  model::JobSpec s = Spec();
  s.gpus = 2;
  Submit(s);
  int64_t second = Submit(s);
  auto work = Send(GpuRequest(2, 2));
  ASSERT_TRUE(work);
  ASSERT_EQ(work->assignments.size(), 1u) << "two jobs of 2 GPUs on an agent with 2";
  EXPECT_EQ(Why(*broker_, alice_, second),
            "Resources: waiting for 1 free CPU(s), 2 GPU(s); 0 job(s) ahead in the queue");
  // The agent reports its GPUs busy: nothing more.
  PollRequest busy = GpuRequest(2, 0);
  busy.running_attempts = {work->assignments[0].attempt.id};
  ASSERT_EQ(Send(busy)->assignments.size(), 0u);
  PollRequest done = GpuRequest(2, 2);
  done.reports = {Report(work->assignments[0].attempt.id, Type::kFinished)};
  ASSERT_EQ(Send(done)->assignments.size(), 1u);
}

TEST_F(BrokerTest, AJobWithoutGpusIsNotHeldBackByBusyGpus) {
  Submit(Spec());
  ASSERT_EQ(Send(GpuRequest(2, 0))->assignments.size(), 1u);
}

TEST_F(BrokerTest, AJobNeedingMoreGpusThanAnyAgentHasSaysSo) {
  model::JobSpec s = Spec();
  s.gpus = 4;
  int64_t id = Submit(s);
  ASSERT_TRUE(Send(GpuRequest(2, 2))->assignments.empty());
  EXPECT_EQ(Why(*broker_, alice_, id),
            "Resources: needs 4 GPU(s), but the agent with the most has 2; it will not start "
            "until an agent with more GPUs joins");
  int64_t none = Submit(s);
  Poll();  // an agent without GPUs only
  EXPECT_NE(Why(*broker_, alice_, none).find("no agent has any"), std::string::npos);
}

TEST_F(BrokerTest, AnUnknownPartitionIsRefusedAtSubmission) {
  options_.partitions = {"batch", "gpu"};
  Open();
  model::JobSpec s = Spec();
  s.partition = "debug";
  auto refused = broker_->Submit(alice_, s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message().find("invalid partition specified: 'debug'"),
            std::string::npos);
  int64_t id = Submit(Spec());
  EXPECT_EQ(broker_->Describe(alice_, TaskRef{id, {}}).value()[0].summary.partition, "batch");
}

TEST_F(BrokerTest, AJobRunsOnlyOnAgentsOfItsPartition) {
  options_.partitions = {"batch", "gpu"};
  Open();
  model::JobSpec s = Spec();
  s.partition = "gpu";
  int64_t id = Submit(s);
  EXPECT_TRUE(Poll({}, 4, "a1", "[Arch = \"X86_64\"]").assignments.empty());  // in batch
  std::string why = Why(*broker_, alice_, id);
  EXPECT_NE(why.find("job Requirements clause member(MY.Partition, TARGET.Partitions) is false"),
            std::string::npos)
      << why;
  EXPECT_EQ(Poll({}, 4, "g1", "[Partitions = {\"gpu\"}]").assignments.size(), 1u);
}

TEST_F(BrokerTest, AnAgentNamingAPartitionTheServerLacksIsRefused) {
  auto refused = Send(GpuRequest(0, 0, "[Partitions = {\"gpu\"}]"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("partition 'gpu', which this server does not have"),
            std::string::npos)
      << refused.error().message();
}

TEST_F(BrokerTest, AConstraintMatchesOnlyAgentsWithTheFeatures) {
  model::JobSpec s = Spec();
  s.requirements = "(member(\"ib\", TARGET.Features) && member(\"avx2\", TARGET.Features))";
  int64_t id = Submit(s);
  EXPECT_TRUE(Poll({}, 4, "a1", "[Features = {\"avx2\"}]").assignments.empty());
  std::string why = Why(*broker_, alice_, id);
  EXPECT_NE(why.find("member(\"ib\", TARGET.Features) is false"), std::string::npos) << why;
  EXPECT_TRUE(Poll({}, 4, "a2", "[Cpus = 4]").assignments.empty());  // no Features at all
  EXPECT_EQ(Poll({}, 4, "a3", "[Features = {\"ib\", \"avx2\"}]").assignments.size(), 1u);
}

TEST_F(BrokerTest, AnExclusiveJobWaitsForTheWholeAgentAndHoldsIt) {
  Submit(Spec());
  model::JobSpec s = Spec();
  s.exclusive = true;
  int64_t exclusive = Submit(s);
  auto first = Poll();
  ASSERT_EQ(first.assignments.size(), 1u);  // the small job; 3 CPUs stay free
  EXPECT_TRUE(Poll({}, 3).assignments.empty());
  EXPECT_EQ(Why(*broker_, alice_, exclusive),
            "Resources: waiting for a whole agent to be free (--exclusive); 0 job(s) ahead in "
            "the queue");
  Submit(Spec("after"));  // must not take the cores the exclusive job waits for
  auto whole = Poll({Report(first.assignments[0].attempt.id, Type::kFinished)}, 4);
  ASSERT_EQ(whole.assignments.size(), 1u);
  EXPECT_TRUE(whole.assignments[0].job->spec.exclusive);
}

}  // namespace
}  // namespace gantry::broker
