// Type predicates, conversions, ifThenElse, time, random, eval and unparse.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "classad/internal/function_util.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::classad::internal {
namespace {

Value TypeTest(const Expr& call, const ClassAd* scope, EvalState& st, ValueType type) {
  if (ArgCount(call) != 1) return Value::Error();
  return Value::Boolean(Arg(call, 0, scope, st).type() == type);
}

// Truncates toward zero, saturating instead of the undefined behaviour of a cast.
Value ClampToInteger(double r) {
  if (std::isnan(r)) return Value::Error();
  if (r >= 9.2233720368547758e18) return Value::Integer(std::numeric_limits<int64_t>::max());
  if (r <= -9.2233720368547758e18) return Value::Integer(std::numeric_limits<int64_t>::min());
  return Value::Integer(static_cast<int64_t>(r));
}

// strtod over a string_view (which is not NUL-terminated).
bool ParseReal(std::string_view s, double* out) {
  std::string copy(s.substr(0, 400));
  const char* start = copy.c_str();
  char* end = nullptr;
  errno = 0;
  *out = std::strtod(start, &end);
  return end != start;
}

}  // namespace

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Value ConvertToString(const Value& v) {
  if (v.IsExceptional() || v.IsString()) return v;
  return MakeString(Unparse(v));
}

Value ConvertToReal(const Value& v) {
  switch (v.type()) {
    case ValueType::kUndefined: return v;
    case ValueType::kBoolean: return Value::Real(v.boolean() ? 1.0 : 0.0);
    case ValueType::kInteger: return Value::Real(static_cast<double>(v.integer()));
    case ValueType::kReal: return v;
    case ValueType::kString: {
      double r;
      if (!ParseReal(v.string(), &r)) return Value::Error();
      return Value::Real(r);
    }
    default: return Value::Error();
  }
}

Value ConvertToInteger(const Value& v) {
  switch (v.type()) {
    case ValueType::kUndefined: return v;
    case ValueType::kBoolean: return Value::Integer(v.boolean() ? 1 : 0);
    case ValueType::kInteger: return v;
    case ValueType::kReal: return ClampToInteger(v.real());
    case ValueType::kString: {
      double r;
      if (!ParseReal(v.string(), &r)) return Value::Error();
      return ClampToInteger(r);
    }
    default: return Value::Error();
  }
}

std::vector<std::string_view> SplitStringList(std::string_view s, std::string_view delimiters) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find_first_of(delimiters, i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view token = s.substr(i, j - i);
    size_t a = token.find_first_not_of(" \t\r\n");
    if (a != std::string_view::npos) {
      size_t b = token.find_last_not_of(" \t\r\n");
      out.push_back(token.substr(a, b - a + 1));
    }
    i = j + 1;
  }
  return out;
}

Value FnIsUndefined(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kUndefined);
}
Value FnIsError(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kError);
}
Value FnIsString(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kString);
}
Value FnIsInteger(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kInteger);
}
Value FnIsReal(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kReal);
}
Value FnIsBoolean(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kBoolean);
}
Value FnIsList(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kList);
}
Value FnIsClassAd(const Expr& c, const ClassAd* s, EvalState& st) {
  return TypeTest(c, s, st, ValueType::kClassAd);
}

Value FnIfThenElse(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 3) return Value::Error();
  Value cond = Arg(call, 0, scope, st);
  if (cond.IsUndefined()) return cond;
  std::optional<bool> b = cond.BooleanEquivalent();
  if (!b.has_value()) return Value::Error();
  return Arg(call, *b ? 1 : 2, scope, st);
}

Value FnInt(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 1) return Value::Error();
  return ConvertToInteger(Arg(call, 0, scope, st));
}

Value FnReal(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 1) return Value::Error();
  return ConvertToReal(Arg(call, 0, scope, st));
}

Value FnString(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 1) return Value::Error();
  return ConvertToString(Arg(call, 0, scope, st));
}

Value FnBool(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 1) return Value::Error();
  Value v = Arg(call, 0, scope, st);
  if (v.IsUndefined()) return v;
  if (v.IsString()) {
    if (EqualsNoCase(v.string(), "true")) return Value::Boolean(true);
    if (EqualsNoCase(v.string(), "false")) return Value::Boolean(false);
    return Value::Undefined();
  }
  std::optional<bool> b = v.BooleanEquivalent();
  return b.has_value() ? Value::Boolean(*b) : Value::Error();
}

Value FnTime(const Expr& call, const ClassAd*, EvalState& st) {
  if (ArgCount(call) != 0) return Value::Error();
  return Value::Integer(st.options.now_seconds);
}

Value FnRandom(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) > 1) return Value::Error();
  Value limit = ArgCount(call) == 0 ? Value::Real(1.0) : Arg(call, 0, scope, st);
  if (limit.IsInteger()) {
    if (limit.integer() <= 0) return Value::Error();
    return Value::Integer(
        static_cast<int64_t>(st.NextRandom() % static_cast<uint64_t>(limit.integer())));
  }
  if (limit.IsReal()) {
    if (!(limit.real() > 0)) return Value::Error();
    double unit = static_cast<double>(st.NextRandom() >> 11) * 0x1.0p-53;
    return Value::Real(unit * limit.real());
  }
  return Value::Error();
}

Value FnEval(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 1) return Value::Error();
  Value text = Arg(call, 0, scope, st);
  if (text.IsUndefined()) return text;
  if (!text.IsString()) return Value::Error();
  Result<ExprPtr> parsed = ParseExpr(text.string());
  if (!parsed) return Value::Error();
  // The parsed tree dies here, so the result must not borrow from it.
  return Eval(**parsed, scope, st).Owned();
}

Value FnUnparse(const Expr& call, const ClassAd* scope, EvalState&) {
  if (ArgCount(call) != 1) return Value::Error();
  const Expr& arg = *call.children[0];
  if (arg.kind == ExprKind::kAttribute && !arg.absolute) {
    for (const ClassAd* ad = scope; ad != nullptr; ad = ad->parent()) {
      if (const Expr* found = ad->LookupHashed(arg.hash, arg.lower)) {
        return MakeString(Unparse(*found));
      }
    }
    return Value::Undefined();
  }
  return MakeString(Unparse(arg));
}

}  // namespace gantry::classad::internal
