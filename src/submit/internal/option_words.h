// Turns words ("--time=5", "-t", "5", "-Hv") into option occurrences with getopt_long's
// rules, against the table in options.h. Not for use outside src/submit/. Pure, thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "submit/options.h"

namespace gantry::submit::internal {

struct OptionUse {
  const OptionDef* def = nullptr;
  std::optional<std::string> value;
};

struct ParsedWords {
  std::vector<OptionUse> uses;
  size_t operands_start = 0;  // index of the first non-option word (== size if none)
};

enum class Operands {
  kStop,    // the command line: the first non-option word (or the word after "--") ends options
  kReject,  // a directive line: every word must be an option or its value
};

// Errors (kInvalidArgument, message without location): unknown or ambiguous option, option
// not allowed from `source` (e.g. --max-retries on an #SBATCH line, --wrap in a script),
// missing value, value given to a flag, stray word in a directive.
Result<ParsedWords> ParseOptionWords(std::span<const std::string> words, OptionSource source,
                                     Operands operands);

}  // namespace gantry::submit::internal
