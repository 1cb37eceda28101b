#include "broker/partitions.h"

#include <gtest/gtest.h>

#include "classad/parser.h"

namespace gantry::broker {
namespace {

using Names = std::vector<std::string>;

PartitionSet Set(Names names) { return PartitionSet::Create(std::move(names)).value(); }
classad::ClassAd Ad(const std::string& text) { return classad::ParseClassAd(text).value(); }

TEST(PartitionSetTest, WithoutConfigurationTheOnlyPartitionIsLocal) {
  PartitionSet set = Set({});
  EXPECT_EQ(set.default_name(), "local");
  EXPECT_EQ(set.Resolve("").value(), "local");
}

TEST(PartitionSetTest, AnUnknownPartitionIsRefusedAsSbatchRefusesIt) {
  PartitionSet set = Set({"batch", "gpu"});
  EXPECT_EQ(set.Resolve("").value(), "batch");
  EXPECT_EQ(set.Resolve("gpu").value(), "gpu");
  auto unknown = set.Resolve("debug");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(),
            "invalid partition specified: 'debug' (this server's partitions: batch, gpu)");
}

TEST(PartitionSetTest, RefusesBadAndRepeatedNames) {
  EXPECT_FALSE(PartitionSet::Create({"a b"}));
  EXPECT_FALSE(PartitionSet::Create({"gpu", "gpu"}));
  EXPECT_FALSE(PartitionSet::Create({""}));
}

TEST(PartitionSetTest, AnAgentBelongsToWhatItsAdNamesOrTheDefault) {
  PartitionSet set = Set({"batch", "gpu"});
  EXPECT_EQ(set.OfAgent(Ad("[Cpus = 4]")).value(), Names{"batch"});
  EXPECT_EQ(set.OfAgent(Ad("[Partitions = {\"gpu\", \"batch\"}]")).value(),
            (Names{"gpu", "batch"}));
  EXPECT_EQ(set.OfAgent(Ad("[Partition = \"gpu\"]")).value(), Names{"gpu"});
  auto unknown = set.OfAgent(Ad("[Partitions = {\"debug\"}]"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("partition 'debug'"), std::string::npos);
  EXPECT_FALSE(set.OfAgent(Ad("[Partitions = 3]")));
}

TEST(ParsePartitionsFileTest, OneNamePerLineTheDefaultMarked) {
  EXPECT_EQ(ParsePartitionsFile("batch\n# GPU nodes\ngpu default  # the usual one\n\n").value(),
            (Names{"gpu", "batch"}));
  EXPECT_EQ(ParsePartitionsFile("a\nb\n").value(), (Names{"a", "b"}));
  EXPECT_FALSE(ParsePartitionsFile("a b c\n"));
  EXPECT_FALSE(ParsePartitionsFile("# nothing\n"));
}

}  // namespace
}  // namespace gantry::broker
