// Strict operators with HTCondor's rules (src/classad/operators.cpp upstream): error
// beats undefined; booleans act as 0/1 in arithmetic and comparisons; strings compare
// only with strings (== ignoring case, =?= exactly); lists and ads do not compare.
#include <cmath>
#include <cstdint>
#include <limits>

#include "classad/internal/eval_state.h"

namespace gantry::classad::internal {
namespace {

int CompareNoCase(std::string_view a, std::string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

template <typename T>
Value Relational(Op op, T x, T y) {
  switch (op) {
    case Op::kLt: return Value::Boolean(x < y);
    case Op::kLe: return Value::Boolean(x <= y);
    case Op::kGt: return Value::Boolean(x > y);
    case Op::kGe: return Value::Boolean(x >= y);
    case Op::kEq: case Op::kMetaEq: return Value::Boolean(x == y);
    case Op::kNe: case Op::kMetaNe: return Value::Boolean(x != y);
    default: return Value::Error();
  }
}

// Bool as integer: HTCondor's coerceToNumber.
bool AsIntegerOperand(const Value& v, int64_t* out) {
  if (v.IsInteger()) {
    *out = v.integer();
    return true;
  }
  if (v.IsBoolean()) {
    *out = v.boolean() ? 1 : 0;
    return true;
  }
  return false;
}

Value Comparison(Op op, const Value& a, const Value& b) {
  if (a.IsClassAd() || b.IsClassAd() || a.IsList() || b.IsList()) return Value::Error();
  if (a.IsString() || b.IsString()) {
    if (!a.IsString() || !b.IsString()) return Value::Error();
    return Relational(op, CompareNoCase(a.string(), b.string()), 0);
  }
  int64_t x, y;
  if (AsIntegerOperand(a, &x) && AsIntegerOperand(b, &y)) return Relational(op, x, y);
  auto rx = a.NumberAsReal();
  auto ry = b.NumberAsReal();
  if (!rx || !ry) return Value::Error();
  return Relational(op, *rx, *ry);
}

Value IntegerArithmetic(Op op, int64_t x, int64_t y) {
  uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  switch (op) {
    // Two's-complement wrap-around on overflow, never undefined behaviour.
    case Op::kAdd: return Value::Integer(static_cast<int64_t>(ux + uy));
    case Op::kSub: return Value::Integer(static_cast<int64_t>(ux - uy));
    case Op::kMul: return Value::Integer(static_cast<int64_t>(ux * uy));
    case Op::kDiv:
      if (y == 0) return Value::Error();
      if (x == std::numeric_limits<int64_t>::min() && y == -1) {
        return Value::Integer(std::numeric_limits<int64_t>::max());
      }
      return Value::Integer(x / y);
    case Op::kMod:
      if (y == 0) return Value::Error();
      if (y == -1) return Value::Integer(0);
      return Value::Integer(x % y);
    default: return Value::Error();
  }
}

Value RealArithmetic(Op op, double x, double y) {
  double r;
  switch (op) {
    case Op::kAdd: r = x + y; break;
    case Op::kSub: r = x - y; break;
    case Op::kMul: r = x * y; break;
    case Op::kDiv:
      if (y == 0.0) return Value::Error();
      r = x / y;
      break;
    default: return Value::Error();  // % on reals is an error in HTCondor
  }
  if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) return Value::Error();  // overflow
  return Value::Real(r);
}

Value Arithmetic(Op op, const Value& a, const Value& b) {
  int64_t x, y;
  if (AsIntegerOperand(a, &x) && AsIntegerOperand(b, &y)) return IntegerArithmetic(op, x, y);
  auto rx = a.NumberAsReal();
  auto ry = b.NumberAsReal();
  if (!rx || !ry) return Value::Error();
  return RealArithmetic(op, *rx, *ry);
}

Value Bitwise(Op op, const Value& a, const Value& b) {
  if (!a.IsInteger() || !b.IsInteger()) return Value::Error();
  int64_t x = a.integer(), y = b.integer();
  uint64_t ux = static_cast<uint64_t>(x);
  switch (op) {
    case Op::kBitAnd: return Value::Integer(x & y);
    case Op::kBitOr: return Value::Integer(x | y);
    case Op::kBitXor: return Value::Integer(x ^ y);
    case Op::kShl:
      if (y < 0) return Value::Error();
      return Value::Integer(y >= 64 ? 0 : static_cast<int64_t>(ux << y));
    case Op::kShr:  // arithmetic: keeps the sign
      if (y < 0) return Value::Error();
      return Value::Integer(y >= 64 ? (x < 0 ? -1 : 0) : (x >> y));
    case Op::kUshr:  // logical: fills with zeros
      if (y < 0) return Value::Error();
      return Value::Integer(y >= 64 ? 0 : static_cast<int64_t>(ux >> y));
    default: return Value::Error();
  }
}

}  // namespace

Value CompareEqual(const Value& a, const Value& b, bool identical) {
  if (!identical) {
    if (a.IsError() || b.IsError()) return Value::Error();
    if (a.IsUndefined() || b.IsUndefined()) return Value::Undefined();
    return Comparison(Op::kEq, a, b);
  }
  if (a.type() != b.type()) return Value::Boolean(false);
  switch (a.type()) {
    case ValueType::kUndefined:
    case ValueType::kError: return Value::Boolean(true);
    case ValueType::kBoolean: return Value::Boolean(a.boolean() == b.boolean());
    case ValueType::kInteger: return Value::Boolean(a.integer() == b.integer());
    case ValueType::kReal: return Value::Boolean(a.real() == b.real());
    case ValueType::kString: return Value::Boolean(a.string() == b.string());
    case ValueType::kList:
    case ValueType::kClassAd: return Value::Error();  // as HTCondor
  }
  return Value::Error();
}

Value BinaryOp(Op op, const Value& a, const Value& b) {
  if (a.IsError() || b.IsError()) return Value::Error();
  if (a.IsUndefined() || b.IsUndefined()) return Value::Undefined();
  switch (op) {
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
      return Comparison(op, a, b);
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kMod:
      return Arithmetic(op, a, b);
    case Op::kBitAnd: case Op::kBitOr: case Op::kBitXor: case Op::kShl: case Op::kShr:
    case Op::kUshr:
      return Bitwise(op, a, b);
    default: return Value::Error();
  }
}

Value UnaryOp(Op op, const Value& a) {
  if (a.IsExceptional()) return a;
  switch (op) {
    case Op::kPlus: return a.IsNumber() ? a : Value::Error();
    case Op::kNeg:
      if (a.IsInteger()) return Value::Integer(static_cast<int64_t>(0 - static_cast<uint64_t>(a.integer())));
      if (a.IsReal()) return Value::Real(-a.real());
      return Value::Error();
    case Op::kNot: {
      std::optional<bool> b = a.BooleanEquivalent();
      return b.has_value() ? Value::Boolean(!*b) : Value::Error();
    }
    case Op::kBitNot: return a.IsInteger() ? Value::Integer(~a.integer()) : Value::Error();
    default: return Value::Error();
  }
}

}  // namespace gantry::classad::internal
