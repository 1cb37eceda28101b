// regexp, regexps and regexpMember, with PCRE2 as HTCondor uses. Patterns are compiled
// per call (the library keeps no caches); match and depth limits keep hostile patterns
// from running away.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <memory>
#include <string>

#include "classad/internal/function_util.h"

namespace gantry::classad::internal {
namespace {

constexpr uint32_t kMatchLimit = 1'000'000;
constexpr uint32_t kDepthLimit = 10'000;

struct Options {
  uint32_t compile = 0;
  bool full = false;    // regexps: substitute into the whole target
  bool global = false;  // regexps: every match, not just the first
};

bool ParseOptions(std::string_view text, Options* out) {
  for (char c : text) {
    switch (c) {
      case 'i': case 'I': out->compile |= PCRE2_CASELESS; break;
      case 'm': case 'M': out->compile |= PCRE2_MULTILINE; break;
      case 's': case 'S': out->compile |= PCRE2_DOTALL; break;
      case 'x': case 'X': out->compile |= PCRE2_EXTENDED; break;
      case 'f': case 'F': out->full = true; break;
      case 'g': case 'G': out->global = true; break;
      default: break;  // HTCondor ignores unknown option letters
    }
  }
  return true;
}

struct CodeDeleter {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};
struct ContextDeleter {
  void operator()(pcre2_match_context* m) const { pcre2_match_context_free(m); }
};

class Regex {
 public:
  bool Compile(std::string_view pattern, uint32_t options) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    code_.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                              options, &error, &offset, nullptr));
    if (code_ == nullptr) return false;
    data_.reset(pcre2_match_data_create_from_pattern(code_.get(), nullptr));
    context_.reset(pcre2_match_context_create(nullptr));
    if (data_ == nullptr || context_ == nullptr) return false;
    pcre2_set_match_limit(context_.get(), kMatchLimit);
    pcre2_set_depth_limit(context_.get(), kDepthLimit);
    return true;
  }
  // >0 on a match, 0 on none, <0 when the match failed (limits, bad UTF).
  int Match(std::string_view subject, size_t start) {
    int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()),
                         subject.size(), start, 0, data_.get(), context_.get());
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    return rc < 0 ? -1 : rc;
  }
  const PCRE2_SIZE* ovector() const { return pcre2_get_ovector_pointer(data_.get()); }

 private:
  std::unique_ptr<pcre2_code, CodeDeleter> code_;
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> data_;
  std::unique_ptr<pcre2_match_context, ContextDeleter> context_;
};

// Reads pattern and optional options argument; returns false with *result set when the
// arguments are not usable.
bool Setup(const Expr& call, size_t options_index, const ClassAd* scope, EvalState& st,
           Regex* regex, Options* options, Value* result) {
  Value pattern = Arg(call, 0, scope, st);
  Value opts = ArgCount(call) > options_index ? Arg(call, options_index, scope, st)
                                              : Value::StringView("");
  if (pattern.IsUndefined() || opts.IsUndefined()) {
    *result = Value::Undefined();
    return false;
  }
  if (!pattern.IsString() || !opts.IsString() || !ParseOptions(opts.string(), options) ||
      !regex->Compile(pattern.string(), options->compile)) {
    *result = Value::Error();
    return false;
  }
  return true;
}

// Expands \0..\9 in `replacement` from the current match.
void AppendReplacement(std::string& out, std::string_view subject, std::string_view replacement,
                       const PCRE2_SIZE* ov, int groups) {
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size() && replacement[i + 1] >= '0' &&
        replacement[i + 1] <= '9') {
      int g = replacement[++i] - '0';
      if (g < groups && ov[2 * g] != PCRE2_UNSET) {
        out += subject.substr(ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
      }
    } else {
      out += c;
    }
  }
}

}  // namespace

Value FnRegexp(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) < 2 || ArgCount(call) > 3) return Value::Error();
  Regex regex;
  Options options;
  Value result;
  if (!Setup(call, 2, scope, st, &regex, &options, &result)) return result;
  Value target = Arg(call, 1, scope, st);
  if (target.IsUndefined()) return target;
  if (!target.IsString()) return Value::Error();
  int rc = regex.Match(target.string(), 0);
  return rc < 0 ? Value::Error() : Value::Boolean(rc > 0);
}

// regexps(pattern, target, substitute [, options]): the substitution with \N replaced
// by groups; with "f" the whole target with the match replaced; "g" replaces all.
Value FnRegexps(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) < 3 || ArgCount(call) > 4) return Value::Error();
  Regex regex;
  Options options;
  Value result;
  if (!Setup(call, 3, scope, st, &regex, &options, &result)) return result;
  Value target = Arg(call, 1, scope, st);
  Value replacement = Arg(call, 2, scope, st);
  if (target.IsUndefined() || replacement.IsUndefined()) return Value::Undefined();
  if (!target.IsString() || !replacement.IsString()) return Value::Error();
  std::string_view subject = target.string();
  std::string out;
  size_t pos = 0;
  bool matched = false;
  while (pos <= subject.size()) {
    int rc = regex.Match(subject, pos);
    if (rc < 0) return Value::Error();
    if (rc == 0) break;
    matched = true;
    const PCRE2_SIZE* ov = regex.ovector();
    if (options.full) out += subject.substr(pos, ov[0] - pos);
    AppendReplacement(out, subject, replacement.string(), ov, rc);
    if (out.size() > kMaxStringBytes) return Value::Error();
    pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    if (ov[1] == ov[0] && options.full && ov[1] < subject.size()) out += subject[ov[1]];
    if (!options.global) break;
  }
  if (!matched) return options.full ? target : Value::StringView("");
  if (options.full && pos < subject.size()) out += subject.substr(pos);
  return MakeString(std::move(out));
}

// regexpMember(pattern, list [, options]): whether any string in the list matches.
Value FnRegexpMember(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) < 2 || ArgCount(call) > 3) return Value::Error();
  Regex regex;
  Options options;
  Value result;
  if (!Setup(call, 2, scope, st, &regex, &options, &result)) return result;
  Value list = Arg(call, 1, scope, st);
  if (list.IsUndefined()) return list;
  if (!list.IsList()) return Value::Error();
  bool saw_undefined = false;
  for (const Value& item : list.list()) {
    if (item.IsUndefined()) {
      saw_undefined = true;
      continue;
    }
    if (!item.IsString()) return Value::Error();
    int rc = regex.Match(item.string(), 0);
    if (rc < 0) return Value::Error();
    if (rc > 0) return Value::Boolean(true);
  }
  return saw_undefined ? Value::Undefined() : Value::Boolean(false);
}

}  // namespace gantry::classad::internal
