#include "agent/resource_ad.h"

#include <gtest/gtest.h>

#include "classad/eval.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::agent {
namespace {

AdFacts Facts() {
  AdFacts f;
  f.name = "local";
  f.hostname = "node1";
  f.machine = "x86_64";
  f.site = "desy";
  f.total = {8, 16000};
  return f;
}

std::string Eval(const std::string& ad_text, const std::string& attr) {
  auto ad = classad::ParseClassAd(ad_text).value();
  return classad::Unparse(classad::EvaluateAttr(ad, attr));
}

TEST(ResourceAdTest, AdvertisesWhatTheNodeHas) {
  std::string ad = BuildResourceAd(Facts(), "").value();
  EXPECT_EQ(Eval(ad, "Cpus"), "8");
  EXPECT_EQ(Eval(ad, "Memory"), "16000");
  EXPECT_EQ(Eval(ad, "Arch"), "\"X86_64\"");
  EXPECT_EQ(Eval(ad, "Site"), "\"desy\"");
}

TEST(ResourceAdTest, CustomAttributesAndStartComeFromTheAdFile) {
  std::string ad =
      BuildResourceAd(Facts(), "HasCvmfs = true\nSTART = TARGET.Owner != \"mallory\"\n").value();
  EXPECT_EQ(Eval(ad, "HasCvmfs"), "true");
  EXPECT_NE(ad.find("START"), std::string::npos);
}

TEST(ResourceAdTest, AdvertisesGpusPartitionsAndFeatures) {
  AdFacts f = Facts();
  f.total.gpus = {0, 1, 3};
  f.partitions = {"gpu", "batch"};
  f.features = {"avx2", "ib"};
  std::string ad = BuildResourceAd(f, "").value();
  EXPECT_EQ(Eval(ad, "Gpus"), "3");
  EXPECT_EQ(Eval(ad, "Partitions"), "{ \"gpu\", \"batch\" }");
  EXPECT_EQ(Eval(ad, "Features"), "{ \"avx2\", \"ib\" }");
}

TEST(ResourceAdTest, WithoutPartitionsTheServerDecidesAndFeaturesAreAnEmptyList) {
  std::string ad = BuildResourceAd(Facts(), "").value();
  EXPECT_EQ(Eval(ad, "Partitions"), "undefined");
  EXPECT_EQ(Eval(ad, "Features"), "{ }");
}

TEST(ResourceAdTest, AdvertisesModulesAndTheirNames) {
  AdFacts f = Facts();
  f.modules = {"gcc/12", "gcc/13", "python/3.11", "bad name/1"};
  std::string ad = BuildResourceAd(f, "").value();
  EXPECT_EQ(Eval(ad, "Modules"), "{ \"gcc/12\", \"gcc/13\", \"python/3.11\" }");
  EXPECT_EQ(Eval(ad, "ModuleNames"), "{ \"gcc\", \"python\" }");
  std::string none = BuildResourceAd(Facts(), "").value();
  EXPECT_EQ(Eval(none, "Modules"), "{ }");
  EXPECT_EQ(Eval(none, "ModuleNames"), "{ }");
}

TEST(ResourceAdTest, RefusesAFeatureAConstraintCouldNotName) {
  AdFacts f = Facts();
  f.features = {"has space"};
  EXPECT_FALSE(BuildResourceAd(f, ""));
  f.features = {"a&b"};
  EXPECT_FALSE(BuildResourceAd(f, ""));
}

TEST(ResourceAdTest, ABrokenAdFileIsAnError) {
  auto r = BuildResourceAd(Facts(), "[ Cpus = ; ]");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("agent ad file"), std::string::npos);
}

}  // namespace
}  // namespace gantry::agent
