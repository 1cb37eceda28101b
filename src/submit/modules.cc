#include "submit/modules.h"

#include <algorithm>
#include <cctype>

namespace gantry::submit {

Status CheckModuleName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 256 && name.front() != '/' && name.back() != '/' &&
            name.find("//") == std::string_view::npos && name.front() != '.';
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                c == '+' || c == '/');
  }
  if (ok) return {};
  return Fail(InvalidArgument("bad module name '" + std::string(name) +
                              "' (NAME or NAME/VERSION: letters, digits and _ - . + /)"));
}

Result<ModuleRequest> ParseModuleList(std::string_view text) {
  ModuleRequest out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find_first_of(", \t", i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view name = text.substr(i, end - i);
    i = end + 1;
    if (name.empty()) continue;
    GANTRY_RETURN_IF_ERROR(CheckModuleName(name));
    if (std::find(out.modules.begin(), out.modules.end(), name) == out.modules.end()) {
      out.modules.emplace_back(name);
    }
  }
  if (out.modules.empty()) return Fail(InvalidArgument("no module named (e.g. gcc/12,python)"));
  out.attribute = "{";
  for (const std::string& m : out.modules) {
    // Names are checked above: nothing in them needs quoting in a ClassAd string.
    out.attribute += (out.attribute.size() > 1 ? ", \"" : "\"") + m + "\"";
    if (!out.requirements.empty()) out.requirements += " && ";
    bool versioned = m.find('/') != std::string::npos;
    out.requirements +=
        "member(\"" + m + "\", TARGET." + (versioned ? "Modules" : "ModuleNames") + ")";
  }
  out.attribute += "}";
  return out;
}

}  // namespace gantry::submit
