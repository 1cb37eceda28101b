#include "acct/text_format.h"

#include <gtest/gtest.h>

namespace gantry::acct {
namespace {

std::string Duration(int64_t s) {
  std::string out;
  AppendDuration(s, out);
  return out;
}
std::string Cpu(double s) {
  std::string out;
  AppendCpuTime(s, out);
  return out;
}
std::string Kb(int64_t kb) {
  std::string out;
  AppendKibibytes(kb, out);
  return out;
}

TEST(TextFormatTest, DurationsAreSacctElapsed) {
  EXPECT_EQ(Duration(0), "00:00:00");
  EXPECT_EQ(Duration(59), "00:00:59");
  EXPECT_EQ(Duration(3661), "01:01:01");
  EXPECT_EQ(Duration(86399), "23:59:59");
  EXPECT_EQ(Duration(86400), "1-00:00:00");
  EXPECT_EQ(Duration(12 * 86400 + 5), "12-00:00:05");
  EXPECT_EQ(Duration(-5), "00:00:00");
}

TEST(TextFormatTest, CpuTimesHaveMillisecondsUnderAnHour) {
  EXPECT_EQ(Cpu(0), "00:00.000");
  EXPECT_EQ(Cpu(0.004), "00:00.004");
  EXPECT_EQ(Cpu(61.5), "01:01.500");
  EXPECT_EQ(Cpu(59.9996), "01:00.000");
  EXPECT_EQ(Cpu(3600), "01:00:00");
  EXPECT_EQ(Cpu(90000), "1-01:00:00");
}

TEST(TextFormatTest, KibibytesTakeTheLargestUnit) {
  EXPECT_EQ(Kb(0), "0K");
  EXPECT_EQ(Kb(1023), "1023K");
  EXPECT_EQ(Kb(1024), "1.00M");
  EXPECT_EQ(Kb(1536 * 1024), "1.50G");
}

TEST(TextFormatTest, DatesAreLocalAndCachedPerDayCorrectly) {
  DateWriter dates(3600);
  std::string out;
  dates.Append(1710081000LL * kMicrosPerSecond, out);  // 2024-03-10T14:30:00Z
  out += " ";
  dates.Append(1710110000LL * kMicrosPerSecond, out);  // 2024-03-10T22:33:20Z: next local day
  out += " ";
  dates.Append(0, out);
  EXPECT_EQ(out, "2024-03-10T15:30:00 2024-03-10T23:33:20 Unknown");
  out.clear();
  dates.Append(1710113600LL * kMicrosPerSecond, out);  // 23:33:20Z -> 00:33:20 on the 11th
  EXPECT_EQ(out, "2024-03-11T00:33:20");
}

TEST(TextFormatTest, JsonStringsAreEscaped) {
  std::string out;
  AppendJsonString("a\"b\\c\nd", out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\u000ad\"");
}

}  // namespace
}  // namespace gantry::acct
