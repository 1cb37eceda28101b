// The line format every identity file shares: words separated by blanks, "double quotes"
// around a word with blanks, '#' to the end of the line a comment. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::identity {

struct ConfigLine {
  int number;  // 1-based
  std::vector<std::string> words;
};

// Lines with no words are dropped. An unterminated quote is an error naming the line.
Result<std::vector<ConfigLine>> SplitConfigLines(std::string_view text);

// "vo:3: " prefix for errors about a line.
std::string LineContext(std::string_view file, const ConfigLine& line);

}  // namespace gantry::identity
