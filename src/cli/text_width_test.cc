#include "cli/text_width.h"

#include <gtest/gtest.h>

namespace gantry::cli {
namespace {

TEST(TextWidthTest, CountsWideCharactersTwiceAndCombiningMarksNever) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("日本語"), 6);            // 3 characters, 9 bytes
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);         // e + combining acute
  EXPECT_EQ(DisplayWidth("café"), 4);
  EXPECT_EQ(DisplayWidth("한국"), 4);
  EXPECT_EQ(DisplayWidth("\xF0\x9F\x9A\x80"), 2);  // rocket emoji
}

TEST(TextWidthTest, CutsByColumnsNeverInsideACharacter) {
  // Regression (issue 11.13): q cut names inside a UTF-8 character and padded by bytes.
  EXPECT_EQ(FitRight("日本語の名前", 5), " 日本");  // a wide character that would not fit: out
  EXPECT_EQ(FitRight("ééééééé", 4), "éééé");
  EXPECT_EQ(FitRight("ab", 4), "  ab");
  EXPECT_EQ(FitRight("abcdef", 4), "abcd");
  EXPECT_EQ(DisplayWidth(FitRight("naïve-日本-long-name", 12)), 12);
}

TEST(TextWidthTest, MakesControlCharactersAndBrokenBytesVisible) {
  EXPECT_EQ(Printable("a\nb\tc"), "a?b?c");
  EXPECT_EQ(Printable("x\xFFy"), "x?y");
  EXPECT_EQ(Printable("\xE6\x97"), "??");  // a character cut short
  EXPECT_EQ(Printable("\xC0\xAF"), "??");  // overlong '/'
  EXPECT_EQ(PadLeft("12_[1-3]", 4), "12_[1-3]");  // ids are never cut
  EXPECT_EQ(PadLeft("日", 4), "  日");
}

}  // namespace
}  // namespace gantry::cli
