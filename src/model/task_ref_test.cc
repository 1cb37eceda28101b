#include "model/task_ref.h"

#include <gtest/gtest.h>

namespace gantry::model {
namespace {

TEST(TaskRefTest, ParsesJobAndArrayTaskIds) {
  EXPECT_EQ(ParseTaskRef("12").value(), (TaskRef{12, std::nullopt}));
  EXPECT_EQ(ParseTaskRef("12_3").value(), (TaskRef{12, 3}));
  EXPECT_EQ(ParseTaskRef("12_3").value().ToString(), "12_3");
}

TEST(TaskRefTest, RejectsMalformedIds) {
  for (const char* bad : {"", "x", "12_", "_3", "12_x", "-4", "0", "12_-1", "1 2"}) {
    auto r = ParseTaskRef(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find("invalid job id"), std::string::npos);
  }
}

}  // namespace
}  // namespace gantry::model
