#include "transfer/rules.h"

#include <gtest/gtest.h>

#include <set>

namespace gantry::transfer {
namespace {

using catalog::ReplicaState;

FileView F(std::string name, std::vector<std::pair<std::string, ReplicaState>> replicas) {
  return {"cms", std::move(name), 10, "0000000a", std::move(replicas)};
}

auto None() {
  return [](const std::string&, const std::string&, const std::string&) { return false; };
}

TEST(RulesTest, NewCopiesGoToTheFirstMatchingRsesWithoutOne) {
  auto plan = PlanRule(2, {"A", "B", "C"}, {F("f1", {{"SRC", ReplicaState::kAvailable}})}, None());
  ASSERT_EQ(plan.transfers.size(), 2u);
  EXPECT_EQ(plan.transfers[0].dest_rse, "A");
  EXPECT_EQ(plan.transfers[1].dest_rse, "B");
  EXPECT_EQ(plan.transfers[0].source_rse, "SRC");
  EXPECT_EQ(plan.satisfied, 0);
  EXPECT_TRUE(plan.stuck.empty());
}

TEST(RulesTest, ExistingAndInFlightCopiesCount) {
  std::set<std::string> flying = {"f1@C"};
  auto in_flight = [&](const std::string&, const std::string& name, const std::string& rse) {
    return flying.count(name + "@" + rse) > 0;
  };
  auto plan = PlanRule(2, {"A", "B", "C"},
                       {F("f1", {{"A", ReplicaState::kAvailable}}),
                        F("f2", {{"A", ReplicaState::kAvailable}, {"B", ReplicaState::kAvailable}})},
                       in_flight);
  EXPECT_TRUE(plan.transfers.empty());  // f1: A + C in flight; f2: done
  EXPECT_EQ(plan.satisfied, 1);
  EXPECT_EQ(plan.files, 2);
}

TEST(RulesTest, ABadCopyIsRepairedFromAGoodOne) {
  auto plan = PlanRule(2, {"A", "B"},
                       {F("f1", {{"A", ReplicaState::kAvailable}, {"B", ReplicaState::kBad}})},
                       None());
  ASSERT_EQ(plan.transfers.size(), 1u);
  EXPECT_EQ(plan.transfers[0].dest_rse, "B");
  EXPECT_EQ(plan.transfers[0].source_rse, "A");
  EXPECT_TRUE(plan.transfers[0].repair);
}

TEST(RulesTest, StuckWithoutASourceOrEnoughRses) {
  auto no_source = PlanRule(1, {"A"}, {F("f1", {{"B", ReplicaState::kBad}})}, None());
  EXPECT_TRUE(no_source.transfers.empty());
  EXPECT_NE(no_source.stuck.find("no available replica of cms:f1"), std::string::npos);
  auto few = PlanRule(3, {"A", "B"}, {F("f1", {{"A", ReplicaState::kAvailable}})}, None());
  EXPECT_NE(few.stuck.find("only 2 RSEs match"), std::string::npos);
}

}  // namespace
}  // namespace gantry::transfer
