// OutputLabeler: turns a rank's output chunks into whole lines prefixed "R: " (--label).
// One per rank and stream. Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>

namespace gantry::launch {

class OutputLabeler {
 public:
  explicit OutputLabeler(int rank) : prefix_(std::to_string(rank) + ": ") {}
  // Returns the labeled complete lines in `chunk`; keeps a trailing partial line.
  std::string Feed(std::string_view chunk);
  // At end of stream: the partial line, labeled and newline-terminated ("" if none).
  std::string Flush();

 private:
  std::string prefix_;
  std::string partial_;
};

}  // namespace gantry::launch
