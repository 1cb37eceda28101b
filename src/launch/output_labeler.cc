#include "launch/output_labeler.h"

namespace gantry::launch {

std::string OutputLabeler::Feed(std::string_view chunk) {
  std::string out;
  size_t start = 0;
  while (start < chunk.size()) {
    size_t newline = chunk.find('\n', start);
    if (newline == std::string_view::npos) {
      partial_.append(chunk.substr(start));
      break;
    }
    out += prefix_;
    out += partial_;
    partial_.clear();
    out.append(chunk.substr(start, newline - start + 1));
    start = newline + 1;
  }
  return out;
}

std::string OutputLabeler::Flush() {
  if (partial_.empty()) return "";
  std::string out = prefix_ + partial_ + "\n";
  partial_.clear();
  return out;
}

}  // namespace gantry::launch
