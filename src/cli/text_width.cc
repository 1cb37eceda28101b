#include "cli/text_width.h"

#include <algorithm>
#include <utility>

namespace gantry::cli {
namespace {

// Decodes one UTF-8 sequence at text[i]: the code point and its length, or {0, 0} for a
// byte that does not start a valid, shortest-form sequence.
std::pair<char32_t, size_t> Decode(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return {b, 1};
  size_t length = b >= 0xF0 ? (b <= 0xF4 ? 4 : 0) : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
  if (length == 0 || i + length > text.size()) return {0, 0};
  char32_t c = b & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0, 0};
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  bool overlong = (length == 3 && c < 0x800) || (length == 4 && c < 0x10000);
  if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {0, 0};
  return {c, length};
}

bool In(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

// Calls f(piece, width) for each printable piece of text: a character, or "?" for a byte or
// control character that is not.
template <typename F>
void ForEachCell(std::string_view text, F f) {
  for (size_t i = 0; i < text.size();) {
    auto [c, length] = Decode(text, i);
    if (length == 0 || c < 0x20 || In(c, 0x7F, 0x9F)) {
      f(std::string_view("?"), 1);
      i += length == 0 ? 1 : length;
      continue;
    }
    f(text.substr(i, length), CodePointWidth(c));
    i += length;
  }
}

}  // namespace

int CodePointWidth(char32_t c) {
  // Combining marks and zero-width characters (Unicode's Mn/Me/Cf blocks that matter here).
  if (In(c, 0x0300, 0x036F) || In(c, 0x0483, 0x0489) || In(c, 0x0591, 0x05BD) ||
      In(c, 0x0610, 0x061A) || In(c, 0x064B, 0x065F) || In(c, 0x1AB0, 0x1AFF) ||
      In(c, 0x1DC0, 0x1DFF) || In(c, 0x200B, 0x200F) || In(c, 0x2028, 0x202E) ||
      In(c, 0x2060, 0x2064) || In(c, 0x20D0, 0x20FF) || In(c, 0xFE00, 0xFE0F) ||
      In(c, 0xFE20, 0xFE2F) || c == 0xFEFF || In(c, 0xE0100, 0xE01EF)) {
    return 0;
  }
  // East Asian Wide (W) and Fullwidth (F), after Markus Kuhn's wcwidth and Unicode 15.
  if (In(c, 0x1100, 0x115F) || c == 0x2329 || c == 0x232A || In(c, 0x231A, 0x231B) ||
      In(c, 0x23E9, 0x23EC) || In(c, 0x25FD, 0x25FE) || In(c, 0x2614, 0x2615) ||
      In(c, 0x2648, 0x2653) || In(c, 0x26AA, 0x26AB) || In(c, 0x26BD, 0x26BE) ||
      In(c, 0x26C4, 0x26C5) || In(c, 0x2705, 0x2705) || In(c, 0x270A, 0x270B) ||
      In(c, 0x2753, 0x2755) || In(c, 0x2795, 0x2797) || In(c, 0x2B1B, 0x2B1C) ||
      (In(c, 0x2E80, 0xA4CF) && c != 0x303F) || In(c, 0xA960, 0xA97F) ||
      In(c, 0xAC00, 0xD7A3) || In(c, 0xF900, 0xFAFF) || In(c, 0xFE10, 0xFE19) ||
      In(c, 0xFE30, 0xFE6F) || In(c, 0xFF00, 0xFF60) || In(c, 0xFFE0, 0xFFE6) ||
      In(c, 0x16FE0, 0x18CFF) || In(c, 0x1B000, 0x1B2FF) || In(c, 0x1F004, 0x1F004) ||
      In(c, 0x1F18E, 0x1F18E) || In(c, 0x1F191, 0x1F19A) || In(c, 0x1F200, 0x1F251) ||
      In(c, 0x1F300, 0x1F64F) || In(c, 0x1F680, 0x1F6FF) || In(c, 0x1F7E0, 0x1F7EB) ||
      In(c, 0x1F90C, 0x1F9FF) || In(c, 0x1FA70, 0x1FAFF) || In(c, 0x20000, 0x2FFFD) ||
      In(c, 0x30000, 0x3FFFD)) {
    return 2;
  }
  return 1;
}

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachCell(text, [&](std::string_view piece, int) { out += piece; });
  return out;
}

int DisplayWidth(std::string_view text) {
  int width = 0;
  ForEachCell(text, [&](std::string_view, int w) { width += w; });
  return width;
}

std::string FitRight(std::string_view text, int width) {
  std::string cell;
  int used = 0;
  bool full = false;
  ForEachCell(text, [&](std::string_view piece, int w) {
    if (full || used + w > width) {
      full = true;  // a wide character that does not fit is left out whole
      return;
    }
    cell += piece;
    used += w;
  });
  return std::string(static_cast<size_t>(width - used), ' ') + cell;
}

std::string PadLeft(std::string_view text, int width) {
  std::string cell = Printable(text);
  int used = DisplayWidth(cell);
  return std::string(static_cast<size_t>(std::max(0, width - used)), ' ') + cell;
}

}  // namespace gantry::cli
