// Display width of UTF-8 text, so `gantry q` cuts and pads columns as a terminal shows them.
// Pure.
#pragma once

#include <string>
#include <string_view>

namespace gantry::cli {

// Columns a terminal gives the code point: 2 for East Asian wide and fullwidth characters
// (and emoji), 0 for combining marks and zero-width characters, else 1.
int CodePointWidth(char32_t c);

// The text made safe for one table cell: control characters and bytes that are not UTF-8
// become '?', so a name can neither break a line nor mangle the terminal.
std::string Printable(std::string_view text);

// Columns Printable(text) takes.
int DisplayWidth(std::string_view text);

// Printable(text) cut to at most width columns, never inside a character, then padded with
// spaces on the left to exactly width (right-justified, as squeue's "%.8j").
std::string FitRight(std::string_view text, int width);

// Printable(text) padded with spaces on the left to at least width columns, never cut (ids
// and states must be read whole).
std::string PadLeft(std::string_view text, int width);

}  // namespace gantry::cli
