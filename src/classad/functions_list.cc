// member, identicalMember, sum, avg, min, max, anyCompare and allCompare.
#include "classad/internal/function_util.h"

namespace gantry::classad::internal {
namespace {

Value Member(const Expr& call, const ClassAd* scope, EvalState& st, bool identical) {
  if (ArgCount(call) != 2) return Value::Error();
  Value x = Arg(call, 0, scope, st);
  Value list = Arg(call, 1, scope, st);
  if (list.IsUndefined() || (!identical && x.IsUndefined())) return Value::Undefined();
  if (!list.IsList() || x.IsList() || x.IsClassAd()) return Value::Error();
  if (!identical && x.IsError()) return Value::Error();
  for (const Value& item : list.list()) {
    Value same = CompareEqual(item, x, identical);
    if (same.IsBoolean() && same.boolean()) return Value::Boolean(true);
  }
  return Value::Boolean(false);
}

// sum/avg/min/max skip undefined elements; any other non-number is an error.
Value Fold(const Expr& call, const ClassAd* scope, EvalState& st, char which) {
  if (ArgCount(call) != 1) return Value::Error();
  Value list = Arg(call, 0, scope, st);
  if (list.IsUndefined()) return list;
  if (!list.IsList()) return Value::Error();
  Value result = which == 's' || which == 'a' ? Value::Integer(0) : Value::Undefined();
  bool first = true;
  int64_t count = 0;
  for (const Value& item : list.list()) {
    if (item.IsUndefined()) continue;
    if (!item.IsNumber() && !item.IsBoolean()) return Value::Error();
    ++count;
    if (first) {
      result = item;
      first = false;
      continue;
    }
    switch (which) {
      case 's':
      case 'a': result = BinaryOp(Op::kAdd, result, item); break;
      case 'n': {
        Value less = BinaryOp(Op::kLt, item, result);
        if (less.IsBoolean() && less.boolean()) result = item;
        break;
      }
      case 'x': {
        Value more = BinaryOp(Op::kGt, item, result);
        if (more.IsBoolean() && more.boolean()) result = item;
        break;
      }
    }
  }
  if (which == 'a' && count > 0) {
    result = BinaryOp(Op::kDiv, result, Value::Real(static_cast<double>(count)));
  }
  return result;
}

Value ListCompare(const Expr& call, const ClassAd* scope, EvalState& st, bool all) {
  if (ArgCount(call) != 3) return Value::Error();
  Value op_text = Arg(call, 0, scope, st);
  if (op_text.IsUndefined()) return op_text;
  if (!op_text.IsString()) return Value::Error();
  std::string_view s = op_text.string();
  Op op;
  if (s == "<") {
    op = Op::kLt;
  } else if (s == "<=") {
    op = Op::kLe;
  } else if (s == ">") {
    op = Op::kGt;
  } else if (s == ">=") {
    op = Op::kGe;
  } else if (s == "==") {
    op = Op::kEq;
  } else if (s == "!=") {
    op = Op::kNe;
  } else if (EqualsNoCase(s, "is") || s == "=?=") {
    op = Op::kMetaEq;
  } else if (EqualsNoCase(s, "isnt") || s == "=!=") {
    op = Op::kMetaNe;
  } else {
    return Value::Error();
  }
  Value list = Arg(call, 1, scope, st);
  if (list.IsUndefined()) return list;
  if (!list.IsList()) return Value::Error();
  Value target = Arg(call, 2, scope, st);
  for (const Value& item : list.list()) {
    Value r;
    if (op == Op::kMetaEq || op == Op::kMetaNe) {
      r = CompareEqual(item, target, true);
      if (op == Op::kMetaNe && r.IsBoolean()) r = Value::Boolean(!r.boolean());
    } else {
      r = BinaryOp(op, item, target);
    }
    if (r.IsUndefined()) return Value::Boolean(false);
    if (!r.IsBoolean()) return Value::Error();
    if (r.boolean() != all) return Value::Boolean(!all);
  }
  return Value::Boolean(all);
}

}  // namespace

Value FnMember(const Expr& c, const ClassAd* s, EvalState& st) { return Member(c, s, st, false); }
Value FnIdenticalMember(const Expr& c, const ClassAd* s, EvalState& st) {
  return Member(c, s, st, true);
}
Value FnSum(const Expr& c, const ClassAd* s, EvalState& st) { return Fold(c, s, st, 's'); }
Value FnAvg(const Expr& c, const ClassAd* s, EvalState& st) { return Fold(c, s, st, 'a'); }
Value FnMin(const Expr& c, const ClassAd* s, EvalState& st) { return Fold(c, s, st, 'n'); }
Value FnMax(const Expr& c, const ClassAd* s, EvalState& st) { return Fold(c, s, st, 'x'); }
Value FnAnyCompare(const Expr& c, const ClassAd* s, EvalState& st) {
  return ListCompare(c, s, st, false);
}
Value FnAllCompare(const Expr& c, const ClassAd* s, EvalState& st) {
  return ListCompare(c, s, st, true);
}

}  // namespace gantry::classad::internal
