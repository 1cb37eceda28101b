#include "broker/dependency.h"

#include <map>

#include <gtest/gtest.h>

namespace gantry::broker {
namespace {

using model::Dependency;
using model::DependencyType;

class DependencyTest : public ::testing::Test {
 protected:
  DependencyResult Eval(std::vector<Dependency> deps, bool any = false, bool singleton = false) {
    return EvaluateDependencies(deps, any, [this](const std::string& id) -> std::optional<JobOutcome> {
      auto it = jobs_.find(id);
      if (it == jobs_.end()) return std::nullopt;
      return it->second;
    }, singleton);
  }
  std::map<std::string, JobOutcome> jobs_ = {
      {"1", {1, 0, 0, 0, "READY"}},      {"2", {1, 1, 0, 0, "RUNNING"}},
      {"3", {1, 1, 1, 1, "DONE"}},       {"4", {1, 1, 1, 0, "FAILED"}},
      {"5", {3, 3, 2, 2, "2 of 3 ended"}},
  };
};

TEST_F(DependencyTest, AfterOkWaitsThenHoldsOrNeverHolds) {
  EXPECT_EQ(Eval({{DependencyType::kAfterOk, {"2"}}}).verdict, DependencyVerdict::kPending);
  EXPECT_EQ(Eval({{DependencyType::kAfterOk, {"3"}}}).verdict, DependencyVerdict::kSatisfied);
  EXPECT_EQ(Eval({{DependencyType::kAfterOk, {"4"}}}).verdict, DependencyVerdict::kNeverSatisfied);
  EXPECT_EQ(Eval({{DependencyType::kAfterOk, {"3", "2"}}}).verdict, DependencyVerdict::kPending);
}

TEST_F(DependencyTest, AfterNotOkAndAfterAny) {
  EXPECT_EQ(Eval({{DependencyType::kAfterNotOk, {"4"}}}).verdict, DependencyVerdict::kSatisfied);
  EXPECT_EQ(Eval({{DependencyType::kAfterNotOk, {"3"}}}).verdict,
            DependencyVerdict::kNeverSatisfied);
  EXPECT_EQ(Eval({{DependencyType::kAfterAny, {"4"}}}).verdict, DependencyVerdict::kSatisfied);
  EXPECT_EQ(Eval({{DependencyType::kAfterAny, {"5"}}}).verdict, DependencyVerdict::kPending);
}

TEST_F(DependencyTest, AfterWaitsForTheStartOnly) {
  EXPECT_EQ(Eval({{DependencyType::kAfter, {"1"}}}).verdict, DependencyVerdict::kPending);
  EXPECT_EQ(Eval({{DependencyType::kAfter, {"2"}}}).verdict, DependencyVerdict::kSatisfied);
}

TEST_F(DependencyTest, AnyNeedsOneClauseAllNeedsEvery) {
  std::vector<Dependency> deps = {{DependencyType::kAfterOk, {"4"}},
                                  {DependencyType::kAfterOk, {"3"}}};
  EXPECT_EQ(Eval(deps, /*any=*/true).verdict, DependencyVerdict::kSatisfied);
  EXPECT_EQ(Eval(deps, /*any=*/false).verdict, DependencyVerdict::kNeverSatisfied);
}

TEST_F(DependencyTest, ReasonNamesTheBlockingClause) {
  auto r = Eval({{DependencyType::kAfterOk, {"3"}}, {DependencyType::kAfterAny, {"2"}}});
  EXPECT_EQ(r.reason, "afterany:2 (RUNNING)");
  EXPECT_EQ(Eval({{DependencyType::kAfterOk, {"99"}}}).reason, "afterok:99 (no such job)");
}

TEST_F(DependencyTest, SingletonWaitsWhileBlocked) {
  std::vector<Dependency> deps = {{DependencyType::kSingleton, {}}};
  EXPECT_EQ(Eval(deps, false, /*singleton=*/true).verdict, DependencyVerdict::kPending);
  EXPECT_EQ(Eval(deps, false, /*singleton=*/false).verdict, DependencyVerdict::kSatisfied);
}

}  // namespace
}  // namespace gantry::broker
