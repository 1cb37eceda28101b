#include "classad/matchmaker.h"

#include <gtest/gtest.h>

#include "classad/flatten.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

ClassAd Ad(std::string_view text) {
  auto ad = ParseClassAdAnyFormat(text);
  EXPECT_TRUE(ad.has_value()) << ad.error().message();
  return ad ? std::move(*ad) : ClassAd();
}

constexpr std::string_view kJob =
    "[ RequestMemory = 2048; RequestCpus = 2; Sites = { \"CERN\", \"FNAL\" };"
    "  Requirements = TARGET.Memory >= MY.RequestMemory && TARGET.Cpus >= MY.RequestCpus &&"
    "                 TARGET.Arch == \"X86_64\" && member(TARGET.Site, MY.Sites);"
    "  Rank = TARGET.Memory / 1024 ]";

TEST(MatchmakerTest, MatchesInBothDirectionsWithRanks) {
  ClassAd job = Ad(kJob);
  ClassAd slot = Ad(
      "[ Memory = 4096; Cpus = 4; Arch = \"x86_64\"; Site = \"cern\"; START = TARGET.RequestCpus"
      " <= Cpus; Rank = 10 ]");
  MatchResult r = Match(job, slot);
  EXPECT_TRUE(r.job_accepts);
  EXPECT_TRUE(r.resource_accepts);
  EXPECT_TRUE(r.matches());
  EXPECT_EQ(r.job_rank, 4.0);
  EXPECT_EQ(r.resource_rank, 10.0);
}

TEST(MatchmakerTest, ResourceRequirementsCanRejectTheJob) {
  ClassAd job = Ad(kJob);
  ClassAd slot = Ad(
      "[ Memory = 4096; Cpus = 4; Arch = \"X86_64\"; Site = \"FNAL\";"
      "  Requirements = TARGET.RequestCpus <= 1 ]");
  MatchResult r = Match(job, slot);
  EXPECT_TRUE(r.job_accepts);
  EXPECT_FALSE(r.resource_accepts);
  EXPECT_FALSE(r.matches());
}

TEST(MatchmakerTest, AnalysisNamesTheFailingClause) {
  ClassAd job = Ad(kJob);
  ClassAd slot = Ad("[ Memory = 1024; Cpus = 4; Arch = \"X86_64\"; Site = \"FNAL\" ]");
  MatchAnalysis a = AnalyzeMatch(job, slot);
  EXPECT_FALSE(a.result.matches());
  ASSERT_EQ(a.job.clauses.size(), 4u);
  EXPECT_EQ(a.job.clauses[0].text, "TARGET.Memory >= MY.RequestMemory");
  EXPECT_FALSE(a.job.clauses[0].satisfied);
  EXPECT_TRUE(a.job.clauses[1].satisfied);
  EXPECT_TRUE(a.job.clauses[3].satisfied);
  EXPECT_EQ(a.resource.attribute, "");
  EXPECT_TRUE(a.resource.satisfied);
}

TEST(MatchmakerTest, UndefinedRequirementsDoNotMatch) {
  ClassAd job = Ad("[ Requirements = TARGET.NoSuchThing > 1 ]");
  ClassAd slot = Ad("[ Memory = 1 ]");
  EXPECT_FALSE(Match(job, slot).matches());
}

TEST(MatchmakerTest, FlattenFoldsMyReferences) {
  ClassAd job = Ad(kJob);
  ExprPtr flat = Flatten(*job.Lookup("Requirements"), job);
  EXPECT_EQ(Unparse(*flat),
            "TARGET.Memory >= 2048 && TARGET.Cpus >= 2 && TARGET.Arch == \"X86_64\" && "
            "member(TARGET.Site, { \"CERN\", \"FNAL\" })");
}

TEST(MatchmakerTest, FlattenKeepsReferencesThatMayComeFromTarget) {
  ClassAd job = Ad("[ a = 1; b = c + a; Requirements = b > 1 && x < a && time() > 0 ]");
  ExprPtr flat = Flatten(*job.Lookup("Requirements"), job);
  EXPECT_EQ(Unparse(*flat), "b > 1 && x < 1 && time() > 0");
}

TEST(MatchmakerTest, FlattenShortCircuitsConstants) {
  ClassAd job = Ad("[ never = false; Requirements = never && TARGET.x ]");
  EXPECT_EQ(Unparse(*Flatten(*job.Lookup("Requirements"), job)), "false");
}

TEST(MatchmakerTest, BulkMatcherAgreesWithPairwiseMatching) {
  BulkMatcher bulk;
  std::vector<ClassAd> jobs, slots;
  for (int i = 0; i < 6; ++i) {
    jobs.push_back(Ad("[ RequestMemory = " + std::to_string(i * 1000) +
                      "; Requirements = TARGET.Memory >= RequestMemory; Rank = TARGET.Memory ]"));
    bulk.AddJob(jobs.back());
  }
  for (int i = 0; i < 4; ++i) {
    slots.push_back(Ad("[ Memory = " + std::to_string(i * 1500) +
                       "; START = TARGET.RequestMemory != 3000 ]"));
    bulk.AddResource(slots.back());
  }
  for (size_t j = 0; j < jobs.size(); ++j) {
    for (size_t r = 0; r < slots.size(); ++r) {
      EXPECT_EQ(bulk.Matches(j, r), Match(jobs[j], slots[r]).matches()) << j << "," << r;
    }
  }
  std::vector<long> best = bulk.BestResourceForEachJob();
  EXPECT_EQ(best[0], 3);
  EXPECT_EQ(best[3], -1);  // the slots refuse RequestMemory 3000
  EXPECT_EQ(best[5], -1);  // nothing has 5000
}

}  // namespace
}  // namespace gantry::classad
