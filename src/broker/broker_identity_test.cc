// Identities in the broker: what a job and its journal record of who caused them, and who
// sees and steers which jobs (docs/security.md: own jobs, admins, see-vo roles).
#include "broker/broker_test_fixture.h"

namespace gantry::broker {
namespace {


class BrokerIdentityTest : public BrokerTest {
 protected:
  // carol holds /cms/Role=admin, which a see-vo rule names: she sees VO cms's jobs.
  model::Identity Carol() {
    model::Identity carol = Local(1002, "carol", {"/cms"});
    carol.roles = {"/cms/Role=admin"};
    carol.grants.see_vos = {"cms"};
    return carol;
  }
  // A token holder of VO atlas, mapped to the account dave.
  model::Identity Dave() {
    model::Identity dave = Local(1003, "dave", {"/atlas/prod", "/atlas"});
    dave.kind = model::IdentityKind::kToken;
    dave.subject = "8a3e-77f1";
    dave.issuer = "https://atlas-auth.example/";
    dave.source = "token:" + dave.Display();
    return dave;
  }
  void Finish(int64_t cpus_free = 4) {
    auto work = Poll({}, cpus_free);
    for (const auto& a : work.assignments) {
      Poll({Report(a.attempt.id, AttemptReport::Type::kFinished)}, cpus_free);
    }
  }
};

TEST_F(BrokerIdentityTest, AJobRecordsItsSubmittersVoAndPrimaryGroup) {
  model::Identity dave = Dave();
  int64_t id = Submit(Spec(), &dave);
  auto detail = broker_->Describe(dave, TaskRef{id, {}}).value();
  EXPECT_EQ(detail[0].job.vo, "atlas");
  EXPECT_EQ(detail[0].job.group, "/atlas/prod");
  EXPECT_EQ(detail[0].job.owner.name, "dave");
}

TEST_F(BrokerIdentityTest, EveryEventRecordsTheIdentityThatCausedIt) {
  model::Identity dave = Dave();
  int64_t id = Submit(Spec(), &dave);
  ASSERT_TRUE(broker_->Hold(dave, TaskRef{id, {}}));
  model::Identity agent;
  agent.kind = model::IdentityKind::kAgent;
  agent.subject = "agent-node7";
  agent.issuer = "https://node1/gantry";
  ASSERT_TRUE(broker_->Release(dave, TaskRef{id, {}}));
  PollRequest req = Request();
  auto work = broker_->Poll(req, &agent).value();
  ASSERT_EQ(work.assignments.size(), 1u);
  req.instance = work.instance;
  req.reports = {Report(work.assignments[0].attempt.id, AttemptReport::Type::kStarted)};
  ASSERT_TRUE(broker_->Poll(req, &agent));

  auto events = broker_->Events(dave, TaskRef{id, {}}).value();
  ASSERT_GE(events.size(), 5u);
  const model::Event& submitted = events[0].event;
  EXPECT_EQ(submitted.type, "submitted");
  EXPECT_EQ(submitted.source, "token:8a3e-77f1@https://atlas-auth.example/");
  EXPECT_EQ(submitted.subject, "8a3e-77f1");
  EXPECT_EQ(submitted.issuer, "https://atlas-auth.example/");
  EXPECT_EQ(submitted.vo, "atlas");
  bool held = false, scheduled = false, started = false;
  for (const auto& e : events) {
    if (e.event.state == TaskState::kHeld) {
      held = true;
      EXPECT_EQ(e.event.subject, "8a3e-77f1");
    }
    if (e.event.state == TaskState::kScheduled) {
      scheduled = true;
      EXPECT_EQ(e.event.source, "server");  // matchmaking: the server's own decision
      EXPECT_EQ(e.event.subject, "");
    }
    if (e.event.state == TaskState::kRunning) {
      started = true;
      EXPECT_EQ(e.event.source, "agent:a1");
      EXPECT_EQ(e.event.subject, "agent-node7");
      EXPECT_EQ(e.event.issuer, "https://node1/gantry");
    }
  }
  EXPECT_TRUE(held && scheduled && started);
}

TEST_F(BrokerIdentityTest, AVoAdminRoleSeesAndSteersItsVosJobsOnly) {
  int64_t cms_job = Submit(Spec());  // alice, VO cms
  model::Identity bob = bob_;         // VO atlas
  int64_t atlas_job = Submit(Spec(), &bob);
  model::Identity carol = Carol();

  auto rows = broker_->Queue(carol, {}).value().rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task.id, cms_job);
  EXPECT_TRUE(broker_->Describe(carol, TaskRef{cms_job, {}}));
  EXPECT_TRUE(broker_->Events(carol, TaskRef{cms_job, {}}));
  EXPECT_TRUE(broker_->Hold(carol, TaskRef{cms_job, {}}));
  EXPECT_TRUE(broker_->Release(carol, TaskRef{cms_job, {}}));

  auto refused = broker_->Cancel(carol, TaskRef{atlas_job, {}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message().find("see-vo"), std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(broker_->Describe(carol, TaskRef{atlas_job, {}}));
  // Ordinary members of the VO see their own jobs only.
  model::Identity erin = Local(1004, "erin", {"/cms"});
  EXPECT_TRUE(broker_->Queue(erin, {}).value().rows.empty());
  EXPECT_FALSE(broker_->Describe(erin, TaskRef{cms_job, {}}));
  EXPECT_TRUE(broker_->Cancel(carol, TaskRef{cms_job, {}}));
}

TEST_F(BrokerIdentityTest, AVoAdminRoleSeesItsVosFinishedJobsInHistory) {
  int64_t cms_job = Submit(Spec());
  model::Identity bob = bob_;
  Submit(Spec(), &bob);
  Finish();
  QueueFilter all;
  all.include_finished = true;
  auto rows = broker_->Queue(Carol(), all).value().rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].task.id, cms_job);
  EXPECT_EQ(rows[0].task.state, TaskState::kDone);
  EXPECT_EQ(broker_->Queue(bob, all).value().rows.size(), 1u);
  EXPECT_EQ(broker_->Queue(root_, all).value().rows.size(), 2u);
}

TEST_F(BrokerIdentityTest, ADrainedAgentFinishesItsWorkAndGetsNoNewWork) {
  model::Identity ops = Local(1005, "ops");
  ops.grants.steer_agents = true;
  int64_t first = Submit(Spec());
  auto work = Poll({}, 1);
  ASSERT_EQ(work.assignments.size(), 1u);
  int64_t second = Submit(Spec());

  auto drained = broker_->Drain(ops, "a1", "disk swap");
  ASSERT_TRUE(drained) << drained.error().message();
  EXPECT_EQ(drained->state, "draining");
  EXPECT_EQ(drained->drain_reason, "disk swap");
  EXPECT_EQ(drained->drained_by, "unix:ops@local");
  // Its running work reports as usual; nothing new comes.
  auto next = Poll({Report(work.assignments[0].attempt.id, AttemptReport::Type::kFinished)}, 1);
  EXPECT_TRUE(next.assignments.empty());
  EXPECT_EQ(State(std::to_string(first)), TaskState::kDone);
  auto detail = broker_->Describe(alice_, TaskRef{second, {}}).value();
  EXPECT_NE(detail[0].why.find("drained"), std::string::npos) << detail[0].why;
  auto listed = broker_->Agents(ops).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].state, "drained");
  EXPECT_EQ(listed[0].hostname, "host");

  Open();  // a drain survives a restart
  running_.clear();
  instances_.clear();
  EXPECT_TRUE(Poll({}, 1).assignments.empty());
  ASSERT_TRUE(broker_->Resume(ops, "a1"));
  EXPECT_EQ(Poll({}, 1).assignments.size(), 1u);
  EXPECT_EQ(State(std::to_string(second)), TaskState::kScheduled);
}

TEST_F(BrokerIdentityTest, SteeringAgentsNeedsTheSteerAgentsRule) {
  Poll();
  for (auto r : {broker_->Agents(alice_).error(), broker_->Drain(alice_, "a1", "").error(),
                 broker_->Resume(alice_, "a1").error()}) {
    EXPECT_EQ(r.code(), ErrorCode::kPermissionDenied);
    EXPECT_NE(r.message().find("steer-agents"), std::string::npos) << r.message();
  }
  EXPECT_EQ(broker_->Drain(root_, "nosuch", "").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(broker_->Resume(root_, "a1").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(broker_->Agents(root_).value().size(), 1u);
}

}  // namespace
}  // namespace gantry::broker
