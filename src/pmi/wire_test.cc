#include "pmi/wire.h"

#include <gtest/gtest.h>

namespace gantry::pmi {
namespace {

TEST(WireTest, ParsesCommandAndFieldsInOrder) {
  auto m = ParseLine("cmd=init pmi_version=1 pmi_subversion=1");
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->cmd, "init");
  ASSERT_EQ(m->fields.size(), 2u);
  EXPECT_EQ(m->Get("pmi_version"), "1");
  EXPECT_EQ(m->Get("pmi_subversion"), "1");
  EXPECT_FALSE(m->Get("missing").has_value());
}

TEST(WireTest, ValueRunsToTheEndOfTheLineIncludingSpacesAndEquals) {
  auto m = ParseLine("cmd=put kvsname=kvs_1 key=card value=a b=c  d");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->Get("key"), "card");
  EXPECT_EQ(m->Get("value"), "a b=c  d");
}

TEST(WireTest, ToleratesExtraSpacesAndCarriageReturn) {
  auto m = ParseLine("  cmd=barrier_in   \r");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->cmd, "barrier_in");
  EXPECT_TRUE(m->fields.empty());
}

TEST(WireTest, AcceptsMcmd) {
  auto m = ParseLine("mcmd=spawn nprocs=2");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->cmd, "spawn");
}

TEST(WireTest, RejectsGarbage) {
  EXPECT_FALSE(ParseLine("").has_value());
  EXPECT_FALSE(ParseLine("hello world").has_value());
  EXPECT_FALSE(ParseLine("key=value cmd=init").has_value());
  EXPECT_FALSE(ParseLine("cmd=put =x").has_value());
}

TEST(WireTest, FormatsReplyWithNewline) {
  EXPECT_EQ(FormatLine("get_result", {{"rc", "0"}, {"value", "x y"}}),
            "cmd=get_result rc=0 value=x y\n");
}

}  // namespace
}  // namespace gantry::pmi
