// PMI-1 "simple" wire format: one line of space-separated key=value fields per message
// (docs/protocols/pmi.md). Pure functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace gantry::pmi {

// Limits we advertise in `cmd=maxes` and enforce on every line.
inline constexpr int kKvsNameMax = 256;
inline constexpr int kKeyLengthMax = 64;
inline constexpr int kValueLengthMax = 1024;
// A request or reply line, including its '\n', must stay below this many bytes.
inline constexpr size_t kMaxLineBytes = 1024;
// Requests may carry a full-length value after "cmd=put kvsname=... key=... value=": allow
// room for the framing around a kValueLengthMax value.
inline constexpr size_t kMaxRequestBytes = kValueLengthMax + kKvsNameMax + kKeyLengthMax + 64;

// One parsed line: `cmd` (or `mcmd`) and the remaining fields in order.
struct WireMessage {
  std::string cmd;
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of the first field named `key`, if any.
  std::optional<std::string_view> Get(std::string_view key) const;
};

// Parses one line (without its '\n'). The field `value=` takes the rest of the line, so
// values may contain spaces and '='. Fails on an empty line, a missing cmd=, or a field
// without '='.
Result<WireMessage> ParseLine(std::string_view line);

// "cmd=<cmd> k1=v1 k2=v2\n". Values are written as given (callers keep `value` last).
std::string FormatLine(std::string_view cmd,
                       const std::vector<std::pair<std::string_view, std::string_view>>& fields);

}  // namespace gantry::pmi
