#include "pmi/wire.h"

namespace gantry::pmi {

std::optional<std::string_view> WireMessage::Get(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

Result<WireMessage> ParseLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line.empty()) return Fail(InvalidArgument("empty PMI line"));
  WireMessage message;
  bool first = true;
  while (!line.empty()) {
    size_t end = line.find(' ');
    std::string_view token = line.substr(0, end);
    size_t eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Fail(InvalidArgument("malformed PMI field '" + std::string(token.substr(0, 64)) +
                                  "' (expected key=value)"));
    }
    std::string_view key = token.substr(0, eq);
    if (key == "value") {
      // MPICH business cards and user values may contain spaces: value runs to end of line.
      message.fields.emplace_back("value", std::string(line.substr(eq + 1)));
      break;
    }
    std::string_view value = token.substr(eq + 1);
    if (first) {
      if (key != "cmd" && key != "mcmd") {
        return Fail(InvalidArgument("PMI line does not start with cmd=: '" +
                                    std::string(line.substr(0, 64)) + "'"));
      }
      message.cmd = std::string(value);
      first = false;
    } else {
      message.fields.emplace_back(std::string(key), std::string(value));
    }
    if (end == std::string_view::npos) break;
    line.remove_prefix(end + 1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  }
  if (first) return Fail(InvalidArgument("PMI line without cmd="));
  return message;
}

std::string FormatLine(std::string_view cmd,
                       const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  std::string out = "cmd=";
  out += cmd;
  for (const auto& [k, v] : fields) {
    out += ' ';
    out += k;
    out += '=';
    out += v;
  }
  out += '\n';
  return out;
}

}  // namespace gantry::pmi
