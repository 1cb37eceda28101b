// Reads a batch script the way sbatch does: sanity checks, then the #SBATCH and #GANTRY
// lines before the first command, split into words. Not for use outside src/submit/.
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "submit/options.h"

namespace gantry::submit::internal {

// Empty, whitespace only, NUL bytes, no "#!" first line, DOS line breaks: each is an error
// "<file>[:<line>]: ..." (kInvalidArgument).
Status CheckScript(std::string_view script, std::string_view file);

struct DirectiveLine {
  int line = 0;  // 1-based
  OptionSource source = OptionSource::kSbatchLine;
  std::vector<std::string> words;
};

// The directive lines, in file order, up to the first line that is neither blank nor a
// comment. Errors carry "<file>:<line>: " (unmatched quote, hetjob separators).
Result<std::vector<DirectiveLine>> ScanDirectives(std::string_view script, std::string_view file);

// Splits the text after "#SBATCH" into words: blanks separate, '…' and "…" group, a
// backslash escapes the next character, an unquoted '#' starts a comment.
Result<std::vector<std::string>> SplitDirectiveWords(std::string_view text);

}  // namespace gantry::submit::internal
