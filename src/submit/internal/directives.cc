#include "submit/internal/directives.h"

#include "base/strings.h"

namespace gantry::submit::internal {
namespace {

std::string At(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line);
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

int LineOf(std::string_view script, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset; ++i) line += script[i] == '\n' ? 1 : 0;
  return line;
}

}  // namespace

Status CheckScript(std::string_view script, std::string_view file) {
  std::string f(file);
  if (script.empty()) return Fail(InvalidArgument(f + ": the batch script is empty"));
  if (Trim(script).empty()) {
    return Fail(InvalidArgument(f + ": the batch script contains only whitespace"));
  }
  // Checked before the #! line so a binary file gets the message that fits it.
  if (size_t nul = script.find('\0'); nul != std::string_view::npos) {
    return Fail(InvalidArgument(At(file, LineOf(script, nul)) +
                                ": the batch script contains a NUL byte; it must be a text "
                                "file (is it a binary?)"));
  }
  if (!script.starts_with("#!")) {
    return Fail(InvalidArgument(f + ":1: the batch script must start with #! (e.g. #!/bin/bash)"));
  }
  if (size_t dos = script.find("\r\n"); dos != std::string_view::npos) {
    return Fail(InvalidArgument(At(file, LineOf(script, dos)) +
                                ": the batch script has DOS line breaks (\\r\\n) instead of "
                                "UNIX ones (\\n); convert it, e.g. with dos2unix"));
  }
  return {};
}

Result<std::vector<std::string>> SplitDirectiveWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == '#') {
      break;
    } else if (IsBlank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return Fail(InvalidArgument(std::string("unmatched ") + quote));
  if (in_word) words.push_back(std::move(word));
  return words;
}

Result<std::vector<DirectiveLine>> ScanDirectives(std::string_view script, std::string_view file) {
  std::vector<DirectiveLine> out;
  int line_number = 0;
  for (const std::string& line : Split(script, '\n')) {
    ++line_number;
    OptionSource source;
    std::string_view magic;
    if (line.starts_with("#SBATCH")) {
      source = OptionSource::kSbatchLine;
      magic = "#SBATCH";
    } else if (line.starts_with("#GANTRY")) {
      source = OptionSource::kGantryLine;
      magic = "#GANTRY";
    } else {
      std::string_view t = Trim(line);
      if (t.empty() || t.front() == '#') continue;
      break;  // the first command: sbatch reads no directives after it
    }
    Result<std::vector<std::string>> words =
        SplitDirectiveWords(std::string_view(line).substr(magic.size()));
    if (!words) {
      return Fail(InvalidArgument(At(file, line_number) + ": " + words.error().message() + " in " +
                                  std::string(magic) + " line"));
    }
    if (!words->empty() &&
        (EqualsIgnoreCase((*words)[0], "hetjob") || EqualsIgnoreCase((*words)[0], "packjob"))) {
      return Fail(InvalidArgument(At(file, line_number) + ": heterogeneous jobs (" + (*words)[0] +
                                  ") are not supported by Gantry"));
    }
    out.push_back({line_number, source, std::move(*words)});
  }
  return out;
}

}  // namespace gantry::submit::internal
