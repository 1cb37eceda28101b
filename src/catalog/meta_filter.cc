#include "catalog/meta_filter.h"

#include <cctype>
#include <cstdlib>
#include <optional>

#include "base/strings.h"

namespace gantry::catalog {
namespace {

std::optional<double> Number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

Status ValidateMetaKey(std::string_view key) {
  if (key.empty() || key.size() > 64) {
    return Fail(InvalidArgument("metadata key '" + std::string(key) +
                                "' must have 1 to 64 characters"));
  }
  if (std::isdigit(static_cast<unsigned char>(key[0]))) {
    return Fail(InvalidArgument("metadata key '" + std::string(key) +
                                "' must not start with a digit"));
  }
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      return Fail(InvalidArgument("metadata key '" + std::string(key) +
                                  "' has a character other than letters, digits, '_', '.', '-'"));
    }
  }
  return {};
}

Result<std::vector<MetaCondition>> ParseMetaFilter(std::string_view text) {
  std::vector<MetaCondition> out;
  if (Trim(text).empty()) return out;
  for (const std::string& part : Split(text, ',')) {
    std::string_view item = Trim(part);
    auto bad = [&](std::string why) {
      return Fail(InvalidArgument("filter '" + std::string(item) + "': " + why));
    };
    size_t at = item.find_first_of("=!<>");
    if (at == std::string_view::npos) return bad("write it as key=value (or != < > <= >=)");
    MetaCondition c;
    c.key = std::string(Trim(item.substr(0, at)));
    std::string_view rest = item.substr(at);
    std::string_view op;
    for (std::string_view candidate : {"!=", "<=", ">=", "=", "<", ">"}) {
      if (rest.starts_with(candidate)) {
        op = candidate;
        break;
      }
    }
    if (op.empty()) return bad("'!' must be followed by '='");
    if (op == "=") c.op = MetaCondition::Op::kEquals;
    if (op == "!=") c.op = MetaCondition::Op::kNotEquals;
    if (op == "<") c.op = MetaCondition::Op::kLess;
    if (op == "<=") c.op = MetaCondition::Op::kLessOrEqual;
    if (op == ">") c.op = MetaCondition::Op::kGreater;
    if (op == ">=") c.op = MetaCondition::Op::kGreaterOrEqual;
    c.value = std::string(Trim(rest.substr(op.size())));
    if (auto s = ValidateMetaKey(c.key); !s) return bad(s.error().message());
    if (c.value.empty()) return bad("no value after '" + std::string(op) + "'");
    bool ordered = c.op != MetaCondition::Op::kEquals && c.op != MetaCondition::Op::kNotEquals;
    if (ordered && !Number(c.value)) {
      return bad("'" + std::string(op) + "' compares with a number, and '" + c.value +
                 "' is not one");
    }
    out.push_back(std::move(c));
  }
  return out;
}

bool Satisfies(const MetaCondition& c, const std::string* value) {
  using Op = MetaCondition::Op;
  if (!value) return c.op == Op::kNotEquals;
  auto a = Number(*value), b = Number(c.value);
  bool numeric = a && b;
  switch (c.op) {
    case Op::kEquals: return numeric ? *a == *b : WildcardMatch(c.value, *value);
    case Op::kNotEquals: return numeric ? *a != *b : !WildcardMatch(c.value, *value);
    case Op::kLess: return numeric && *a < *b;
    case Op::kLessOrEqual: return numeric && *a <= *b;
    case Op::kGreater: return numeric && *a > *b;
    case Op::kGreaterOrEqual: return numeric && *a >= *b;
  }
  return false;
}

bool Matches(const std::vector<MetaCondition>& conditions,
             const std::map<std::string, std::string>& meta) {
  for (const auto& c : conditions) {
    auto it = meta.find(c.key);
    if (!Satisfies(c, it == meta.end() ? nullptr : &it->second)) return false;
  }
  return true;
}

bool WildcardMatch(std::string_view pattern, std::string_view text) {
  // Iterative glob with backtracking to the last '*': linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace gantry::catalog
