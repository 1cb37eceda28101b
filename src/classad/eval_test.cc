#include "classad/eval.h"

#include <gtest/gtest.h>

#include <string>

#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

std::string EvalText(std::string_view expr, const ClassAd* my = nullptr,
                     const ClassAd* target = nullptr) {
  auto e = ParseExpr(expr);
  if (!e) return "parse error: " + e.error().message();
  return Unparse(Evaluate(**e, my, target));
}

ClassAd Ad(std::string_view text) {
  auto ad = ParseClassAd(text);
  EXPECT_TRUE(ad.has_value()) << ad.error().message();
  return ad ? std::move(*ad) : ClassAd();
}

TEST(EvalTest, SelfReferenceIsErrorNotAHang) {
  ClassAd ad = Ad("[ a = b; b = a; c = c + 1 ]");
  EXPECT_EQ(Unparse(EvaluateAttr(ad, "a")), "error");
  EXPECT_EQ(Unparse(EvaluateAttr(ad, "c")), "error");
}

TEST(EvalTest, RepeatedReferencesAreEvaluatedOnce) {
  std::string text = "[ a0 = 1";
  for (int i = 1; i < 60; ++i) {
    text += "; a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " + a" +
            std::to_string(i - 1);
  }
  text += " ]";
  ClassAd ad = Ad(text);
  EXPECT_EQ(Unparse(EvaluateAttr(ad, "a59")), "576460752303423488");
}

TEST(EvalTest, LongAttributeChainsHitTheDepthLimit) {
  std::string text = "[ a0 = 1";
  for (int i = 1; i < 5000; ++i) {
    text += "; a" + std::to_string(i) + " = a" + std::to_string(i - 1);
  }
  text += " ]";
  ClassAd ad = Ad(text);
  EXPECT_EQ(Unparse(EvaluateAttr(ad, "a4999")), "error");
  EXPECT_EQ(Unparse(EvaluateAttr(ad, "a100")), "1");
}

TEST(EvalTest, UnqualifiedNamesFallBackToTarget) {
  ClassAd job = Ad("[ RequestMemory = 100; Requirements = Memory >= RequestMemory ]");
  ClassAd machine = Ad("[ Memory = 200; RequestMemory = 1000 ]");
  EXPECT_EQ(Unparse(EvaluateAttr(job, "Requirements", &machine)), "true");
}

TEST(EvalTest, TargetSeesTheOtherAd) {
  ClassAd job = Ad("[ Owner = \"ann\"; Requirements = TARGET.Allowed ]");
  ClassAd machine = Ad("[ Allowed = TARGET.Owner == \"ANN\" ]");
  EXPECT_EQ(Unparse(EvaluateAttr(job, "Requirements", &machine)), "true");
}

TEST(EvalTest, ParentAndNestedScopes) {
  ClassAd ad = Ad("[ x = 1; inner = [ x = 2; y = PARENT.x; z = x; w = outer ]; outer = 5 ]");
  EXPECT_EQ(EvalText("inner.y", &ad), "1");
  EXPECT_EQ(EvalText("inner.z", &ad), "2");
  EXPECT_EQ(EvalText("inner.w", &ad), "5");
  EXPECT_EQ(EvalText("inner[\"X\"]", &ad), "2");
  EXPECT_EQ(EvalText("MY.x", &ad), "1");
}

TEST(EvalTest, SelectOnListOfAds) {
  EXPECT_EQ(EvalText("{ [a = 1], [a = 2], [b = 3] }.a"), "{ 1, 2, undefined }");
}

TEST(EvalTest, OwnedValuesOutliveTheirAd) {
  Value v;
  {
    ClassAd ad = Ad("[ s = \"hello\"; l = { \"a\", [ q = 1 ] } ]");
    v = EvaluateAttr(ad, "l").Owned();
  }
  EXPECT_EQ(Unparse(v), "{ \"a\", [ q = 1 ] }");
}

TEST(EvalTest, RandomIsSeedable) {
  auto e = ParseExpr("random(1000000)");
  ASSERT_TRUE(e.has_value());
  EvalOptions a{.now_seconds = 0, .random_seed = 42};
  EXPECT_EQ(Unparse(Evaluate(**e, nullptr, nullptr, a)),
            Unparse(Evaluate(**e, nullptr, nullptr, a)));
}

TEST(EvalTest, TimeComesFromOptions) {
  auto e = ParseExpr("time()");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Unparse(Evaluate(**e, nullptr, nullptr, {.now_seconds = 1700000000})),
            "1700000000");
}

TEST(EvalTest, HugeStringsBecomeErrors) {
  std::string text = "[ s0 = \"0123456789abcdef\"";
  for (int i = 1; i < 30; ++i) {
    text += "; s" + std::to_string(i) + " = strcat(s" + std::to_string(i - 1) + ", s" +
            std::to_string(i - 1) + ")";
  }
  text += " ]";
  ClassAd ad = Ad(text);
  EXPECT_EQ(Unparse(EvaluateAttr(ad, "s29")), "error");
}

}  // namespace
}  // namespace gantry::classad
