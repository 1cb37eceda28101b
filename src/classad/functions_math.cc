// floor, ceiling, round, pow and quantize.
#include <cmath>
#include <limits>

#include "classad/internal/function_util.h"

namespace gantry::classad::internal {
namespace {

Value RealToInteger(double r) {
  if (!std::isfinite(r) || r >= 9.2233720368547758e18 || r < -9.2233720368547758e18) {
    return Value::Error();
  }
  return Value::Integer(static_cast<int64_t>(r));
}

Value Rounding(const Expr& call, const ClassAd* scope, EvalState& st, double (*fn)(double)) {
  if (ArgCount(call) != 1) return Value::Error();
  Value v = Arg(call, 0, scope, st);
  if (v.IsInteger()) return v;
  Value r = ConvertToReal(v);
  if (!r.IsReal()) return r;
  return RealToInteger(fn(r.real()));
}

double RoundHalfEven(double r) { return std::nearbyint(r); }

int64_t IntegerPower(int64_t base, int64_t exponent) {
  uint64_t result = 1, b = static_cast<uint64_t>(base);
  while (exponent > 0) {  // wraps on overflow, like the other integer operators
    if (exponent & 1) result *= b;
    b *= b;
    exponent >>= 1;
  }
  return static_cast<int64_t>(result);
}

}  // namespace

Value FnFloor(const Expr& c, const ClassAd* s, EvalState& st) {
  return Rounding(c, s, st, [](double r) { return std::floor(r); });
}
Value FnCeiling(const Expr& c, const ClassAd* s, EvalState& st) {
  return Rounding(c, s, st, [](double r) { return std::ceil(r); });
}
// HTCondor rounds with rint(): halves go to the even neighbour.
Value FnRound(const Expr& c, const ClassAd* s, EvalState& st) {
  return Rounding(c, s, st, RoundHalfEven);
}

Value FnPow(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 2) return Value::Error();
  Value base = Arg(call, 0, scope, st);
  Value exponent = Arg(call, 1, scope, st);
  if (base.IsInteger() && exponent.IsInteger() && exponent.integer() >= 0) {
    return Value::Integer(IntegerPower(base.integer(), exponent.integer()));
  }
  Value b = ConvertToReal(base);
  Value e = ConvertToReal(exponent);
  if (b.IsError() || e.IsError()) return Value::Error();
  if (b.IsUndefined() || e.IsUndefined()) return Value::Undefined();
  return Value::Real(std::pow(b.real(), e.real()));
}

// quantize(a, b): a rounded up to a multiple of b; with a list, the first element >= a
// (or the last element when none is).
Value FnQuantize(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 2) return Value::Error();
  Value a = Arg(call, 0, scope, st);
  Value b = Arg(call, 1, scope, st);
  Value ar = ConvertToReal(a);
  if (!ar.IsReal()) return ar;
  double x = ar.real();
  if (b.IsList()) {
    Value last = Value::Undefined();
    for (const Value& item : b.list()) {
      Value r = ConvertToReal(item);
      if (!r.IsReal()) return Value::Error();
      if (r.real() >= x) return item;
      last = item;
    }
    if (last.IsUndefined()) return a;  // an empty list does not quantize
    b = last;
  }
  if (b.IsInteger()) {
    int64_t q = b.integer();
    if (q == 0) return a;
    if (a.IsInteger()) {
      int64_t i = a.integer();
      int64_t n = i / q + ((i % q != 0 && ((i > 0) == (q > 0))) ? 1 : 0);
      return Value::Integer(static_cast<int64_t>(static_cast<uint64_t>(n) * static_cast<uint64_t>(q)));
    }
    return Value::Real(std::ceil(x / static_cast<double>(q)) * static_cast<double>(q));
  }
  Value br = ConvertToReal(b);
  if (!br.IsReal()) return Value::Error();
  if (std::fabs(br.real()) <= 1e-8) return a;
  return Value::Real(std::ceil(x / br.real()) * br.real());
}

}  // namespace gantry::classad::internal
