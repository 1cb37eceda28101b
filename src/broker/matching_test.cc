#include "broker/matching.h"

#include <gtest/gtest.h>

namespace gantry::broker {
namespace {

model::Job Job(std::string requirements, std::string rank = "") {
  model::Job j;
  j.id = 7;
  j.owner.name = "alice";
  j.spec.name = "sim";
  j.spec.cpus_per_task = 2;
  j.spec.memory_mb = 1000;
  j.spec.requirements = std::move(requirements);
  j.spec.rank = std::move(rank);
  return j;
}

classad::ClassAd Agent(std::string text) { return ParseAgentAd(text).value(); }

TEST(MatchingTest, JobRequirementsSeeTheAgentAsTarget) {
  auto job = BuildJobAd(Job("TARGET.Arch == \"X86_64\" && TARGET.Memory >= MY.RequestMemory"));
  ASSERT_TRUE(job) << job.error().message();
  EXPECT_TRUE(MatchJobToAgent(*job, Agent("[Arch = \"x86_64\"; Memory = 4000]")).matches);
  EXPECT_FALSE(MatchJobToAgent(*job, Agent("[Arch = \"X86_64\"; Memory = 500]")).matches);
}

TEST(MatchingTest, AgentStartSeesTheJobAsTarget) {
  auto job = BuildJobAd(Job(""));
  EXPECT_FALSE(MatchJobToAgent(*job, Agent("[START = TARGET.Owner == \"bob\"]")).matches);
  EXPECT_TRUE(MatchJobToAgent(*job, Agent("[START = TARGET.Owner == \"alice\"]")).matches);
}

TEST(MatchingTest, ExplainsTheFailingClause) {
  auto job = BuildJobAd(Job("TARGET.Cpus >= 2 && TARGET.Site == \"cern\""));
  std::string why = ExplainNoMatch(*job, Agent("[Cpus = 4; Site = \"desy\"]"), "a1");
  EXPECT_NE(why.find("agent 'a1'"), std::string::npos) << why;
  EXPECT_NE(why.find("Site"), std::string::npos) << why;
  EXPECT_EQ(why.find("Cpus"), std::string::npos) << why;
  EXPECT_EQ(ExplainNoMatch(*job, Agent("[Cpus = 4; Site = \"CERN\"]"), "a1"), "");
}

TEST(MatchingTest, BadExpressionsAreErrorsNamingTheAttribute) {
  auto job = BuildJobAd(Job("TARGET.Cpus >= "));
  ASSERT_FALSE(job);
  EXPECT_NE(job.error().message().find("Requirements"), std::string::npos);
  EXPECT_FALSE(ParseAgentAd("[Cpus = ]"));
}

TEST(MatchingTest, RankIsTheJobsPreference) {
  auto job = BuildJobAd(Job("", "TARGET.Memory"));
  EXPECT_EQ(MatchJobToAgent(*job, Agent("[Memory = 4000]")).job_rank, 4000);
}

}  // namespace
}  // namespace gantry::broker
