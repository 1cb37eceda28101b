#include "submit/export_env.h"

#include <vector>

#include "base/strings.h"

namespace gantry::submit {
namespace {

constexpr std::string_view kExpected =
    "expected ALL, NONE, NIL, or a comma-separated list of VAR or VAR=value items, "
    "optionally starting with ALL";

bool IsName(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Splits on commas outside single or double quotes; removes the quotes.
Result<std::vector<std::string>> SplitItems(std::string_view spec) {
  std::vector<std::string> items(1);
  char quote = 0;
  for (char c : spec) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        items.back() += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ',') {
      items.emplace_back();
    } else {
      items.back() += c;
    }
  }
  if (quote != 0) return Fail(InvalidArgument(std::string("unmatched ") + quote));
  return items;
}

struct Item {
  std::string name;
  std::optional<std::string> value;
};

Result<std::vector<Item>> ParseItems(std::string_view spec, bool* all) {
  *all = false;
  GANTRY_ASSIGN_OR_RETURN(std::vector<std::string> raw, SplitItems(spec));
  std::vector<Item> items;
  for (const std::string& token : raw) {
    if (token.empty()) {
      return Fail(InvalidArgument("empty item in the list; " + std::string(kExpected)));
    }
    if (EqualsIgnoreCase(token, "ALL")) {
      *all = true;
      items.push_back({"", std::nullopt});  // marks where ALL applies
      continue;
    }
    if (EqualsIgnoreCase(token, "NONE") || EqualsIgnoreCase(token, "NIL")) {
      return Fail(InvalidArgument(token + " cannot be combined with other items"));
    }
    size_t eq = token.find('=');
    Item item{token.substr(0, eq), std::nullopt};
    if (eq != std::string::npos) item.value = token.substr(eq + 1);
    if (!IsName(item.name)) {
      return Fail(
          InvalidArgument("'" + item.name + "' is not a variable name; " + std::string(kExpected)));
    }
    items.push_back(std::move(item));
  }
  return items;
}

bool IsSlurmVariable(const std::string& name) {
  return name.starts_with("SLURM") && name != "SLURM_JWT";
}

}  // namespace

Status ValidateExport(std::string_view spec) {
  std::string_view s = Trim(spec);
  if (s.empty()) return Fail(InvalidArgument(std::string(kExpected)));
  if (EqualsIgnoreCase(s, "ALL") || EqualsIgnoreCase(s, "NONE") || EqualsIgnoreCase(s, "NIL")) {
    return {};
  }
  bool all = false;
  GANTRY_RETURN_IF_ERROR(ParseItems(s, &all));
  return {};
}

Result<Environment> ResolveExport(const std::optional<std::string>& spec,
                                  const Environment& submit_env) {
  Environment out;
  std::string_view s = spec ? Trim(*spec) : std::string_view("ALL");
  GANTRY_RETURN_IF_ERROR(ValidateExport(s));
  if (EqualsIgnoreCase(s, "ALL")) {
    out = submit_env;
    out.erase("SLURM_JWT");
    return out;
  }
  for (const auto& [name, value] : submit_env) {
    if (IsSlurmVariable(name)) out[name] = value;
  }
  if (EqualsIgnoreCase(s, "NONE") || EqualsIgnoreCase(s, "NIL")) {
    out["SLURM_EXPORT_ENV"] = std::string(s);
    return out;
  }
  bool all = false;
  GANTRY_ASSIGN_OR_RETURN(std::vector<Item> items, ParseItems(s, &all));
  for (const Item& item : items) {
    if (item.name.empty()) {  // ALL
      for (const auto& [name, value] : submit_env) {
        if (name != "SLURM_JWT") out[name] = value;
      }
    } else if (item.value) {
      out[item.name] = *item.value;
    } else if (auto it = submit_env.find(item.name); it != submit_env.end()) {
      out[item.name] = it->second;
    }
  }
  out["SLURM_EXPORT_ENV"] = std::string(s);
  return out;
}

}  // namespace gantry::submit
