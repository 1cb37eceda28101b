#include "identity/config_lines.h"

namespace gantry::identity {

Result<std::vector<ConfigLine>> SplitConfigLines(std::string_view text) {
  std::vector<ConfigLine> lines;
  int number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    ConfigLine out{number, {}};
    size_t i = 0;
    while (i < line.size()) {
      char c = line[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (c == '#') {
        break;
      } else if (c == '"') {
        size_t close = line.find('"', i + 1);
        if (close == std::string_view::npos) {
          return Fail(InvalidArgument("line " + std::to_string(number) + ": unterminated quote"));
        }
        out.words.emplace_back(line.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        size_t stop = line.find_first_of(" \t\r#", i);
        if (stop == std::string_view::npos) stop = line.size();
        out.words.emplace_back(line.substr(i, stop - i));
        i = stop;
      }
    }
    if (!out.words.empty()) lines.push_back(std::move(out));
  }
  return lines;
}

std::string LineContext(std::string_view file, const ConfigLine& line) {
  return std::string(file) + ":" + std::to_string(line.number) + ": ";
}

}  // namespace gantry::identity
