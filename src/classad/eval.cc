#include "classad/eval.h"

#include <string>

#include "classad/functions.h"
#include "classad/internal/eval_state.h"

namespace gantry::classad {
namespace internal {
namespace {

const ClassAd* RootOf(const ClassAd* ad) {
  while (ad != nullptr && ad->parent() != nullptr) ad = ad->parent();
  return ad;
}

// The value of a scope keyword (MY, TARGET, PARENT, TOPLEVEL) seen from `ad`.
Value SpecialValue(SpecialName special, const ClassAd* ad, const EvalState& st) {
  const ClassAd* result = nullptr;
  switch (special) {
    case SpecialName::kMy: result = ad; break;
    case SpecialName::kTarget: result = st.TargetFor(ad); break;
    case SpecialName::kParent: result = ad != nullptr ? ad->parent() : nullptr; break;
    case SpecialName::kRoot: result = RootOf(ad); break;
    case SpecialName::kNone: break;
  }
  return result != nullptr ? Value::AdView(result) : Value::Undefined();
}

// Unqualified name: this ad, then its enclosing ads, then TARGET (HTCondor's
// alternate scope). Scope keywords apply where no attribute of that name exists.
Value EvalAttribute(const Expr& e, const ClassAd* scope, EvalState& st) {
  if (e.absolute) {
    const ClassAd* root = RootOf(scope);
    if (root == nullptr) return Value::Undefined();
    const Expr* found = root->LookupHashed(e.hash, e.lower);
    return found != nullptr ? EvalAttributeIn(*found, root, st) : Value::Undefined();
  }
  if (scope == nullptr) {
    if (e.special == SpecialName::kTarget || e.special == SpecialName::kMy) {
      return SpecialValue(e.special, nullptr, st);
    }
  }
  for (const ClassAd* ad = scope; ad != nullptr; ad = ad->parent()) {
    if (e.special != SpecialName::kNone && !ad->has_scope_names()) {
      return SpecialValue(e.special, ad, st);
    }
    const Expr* found = ad->LookupHashed(e.hash, e.lower);
    if (found != nullptr) return EvalAttributeIn(*found, ad, st);
    if (e.special != SpecialName::kNone) return SpecialValue(e.special, ad, st);
  }
  const ClassAd* target = st.TargetFor(scope);
  if (target != nullptr) {
    for (const ClassAd* ad = target; ad != nullptr; ad = ad->parent()) {
      const Expr* found = ad->LookupHashed(e.hash, e.lower);
      if (found != nullptr) return EvalAttributeIn(*found, ad, st);
    }
  }
  return Value::Undefined();
}

Value EvalSelect(const Expr& e, const ClassAd* scope, EvalState& st) {
  const Expr& base_expr = *e.children[0];
  if (base_expr.kind == ExprKind::kAttribute && base_expr.special != SpecialName::kNone &&
      !base_expr.absolute && scope != nullptr && !scope->has_scope_names()) {
    // TARGET.x, MY.x: no need to build an ad value first.
    Value ad = SpecialValue(base_expr.special, scope, st);
    if (!ad.IsClassAd()) return Value::Undefined();
    return SelectFromAd(ad.ad(), e.hash, e.lower, st);
  }
  Value base = Eval(base_expr, scope, st);
  if (base.IsClassAd()) return SelectFromAd(base.ad(), e.hash, e.lower, st);
  if (base.IsUndefined()) return Value::Undefined();
  if (!base.IsList()) return Value::Error();
  // {ad1, ad2}.attr is the list of each ad's attr.
  ValueList out;
  out.reserve(base.list().size());
  for (const Value& item : base.list()) {
    if (item.IsClassAd()) {
      out.push_back(SelectFromAd(item.ad(), e.hash, e.lower, st));
    } else if (item.IsUndefined()) {
      out.push_back(Value::Undefined());
    } else {
      out.push_back(Value::Error());
    }
  }
  return Value::List(std::move(out));
}

Value EvalSubscript(const Expr& e, const ClassAd* scope, EvalState& st) {
  Value base = Eval(*e.children[0], scope, st);
  Value index = Eval(*e.children[1], scope, st);
  if (base.IsError() || index.IsError()) return Value::Error();
  if (base.IsUndefined() || index.IsUndefined()) return Value::Undefined();
  if (base.IsList() && index.IsInteger()) {
    int64_t i = index.integer();
    if (i < 0 || static_cast<uint64_t>(i) >= base.list().size()) return Value::Error();
    return base.list()[static_cast<size_t>(i)];
  }
  if (base.IsClassAd() && index.IsString()) {
    std::string lower = LowerName(index.string());
    return SelectFromAd(base.ad(), NameHash(lower), lower, st);
  }
  return Value::Error();
}

Value EvalLogical(const Expr& e, const ClassAd* scope, EvalState& st) {
  bool is_and = e.op == Op::kAnd;
  Value a = Eval(*e.children[0], scope, st);
  std::optional<bool> ab = a.BooleanEquivalent();
  // Short circuit: false && x is false, true || x is true, error op x is error.
  if (ab.has_value() && *ab != is_and) return Value::Boolean(*ab);
  if (a.IsError()) return Value::Error();
  if (!ab.has_value() && !a.IsUndefined()) {
    // A non-boolean left operand is an error, after HTCondor evaluates the right one.
    return Value::Error();
  }
  Value b = Eval(*e.children[1], scope, st);
  std::optional<bool> bb = b.BooleanEquivalent();
  if (!bb.has_value() && !b.IsExceptional()) return Value::Error();
  if (ab.has_value()) return bb.has_value() ? Value::Boolean(*bb) : b;  // left is the identity
  // Left is undefined.
  if (b.IsError()) return Value::Error();
  if (bb.has_value() && *bb != is_and) return Value::Boolean(*bb);
  return Value::Undefined();
}

Value EvalTernary(const Expr& e, const ClassAd* scope, EvalState& st) {
  Value cond = Eval(*e.children[0], scope, st);
  if (cond.IsUndefined()) return Value::Undefined();
  std::optional<bool> b = cond.BooleanEquivalent();
  if (!b.has_value()) return Value::Error();
  return Eval(*e.children[*b ? 1 : 2], scope, st);
}

Value EvalList(const Expr& e, const ClassAd* scope, EvalState& st) {
  if (e.items != nullptr) return e.value;
  ValueList out;
  out.reserve(e.children.size());
  for (const ExprPtr& c : e.children) out.push_back(Eval(*c, scope, st));
  return Value::List(std::move(out));
}

Value EvalNode(const Expr& e, const ClassAd* scope, EvalState& st) {
  switch (e.kind) {
    case ExprKind::kLiteral: return e.value.View();
    case ExprKind::kAttribute: return EvalAttribute(e, scope, st);
    case ExprKind::kSelect: return EvalSelect(e, scope, st);
    case ExprKind::kSubscript: return EvalSubscript(e, scope, st);
    case ExprKind::kParen: return Eval(*e.children[0], scope, st);
    case ExprKind::kUnary: return UnaryOp(e.op, Eval(*e.children[0], scope, st));
    case ExprKind::kBinary: {
      if (e.op == Op::kAnd || e.op == Op::kOr) return EvalLogical(e, scope, st);
      Value a = Eval(*e.children[0], scope, st);
      if (e.op == Op::kElvis) return a.IsUndefined() ? Eval(*e.children[1], scope, st) : a;
      Value b = Eval(*e.children[1], scope, st);
      if (e.op == Op::kMetaEq || e.op == Op::kMetaNe) {
        Value same = CompareEqual(a, b, true);
        if (e.op == Op::kMetaNe && same.IsBoolean()) return Value::Boolean(!same.boolean());
        return same;
      }
      return BinaryOp(e.op, a, b);
    }
    case ExprKind::kTernary: return EvalTernary(e, scope, st);
    case ExprKind::kCall:
      if (e.builtin == nullptr) return Value::Error();
      return e.builtin->function(e, scope, st);
    case ExprKind::kList: return EvalList(e, scope, st);
    case ExprKind::kClassAd: return Value::AdView(e.ad.get());
  }
  return Value::Error();
}

}  // namespace

EvalState::EvalState(const ClassAd* my, const ClassAd* target, const EvalOptions& opts)
    : left_root(RootOf(my)),
      right_root(RootOf(target)),
      options(opts),
      random_state(opts.random_seed) {}

const ClassAd* EvalState::TargetFor(const ClassAd* scope) const {
  const ClassAd* root = RootOf(scope);
  if (root == nullptr || root == left_root) return right_root;
  if (root == right_root) return left_root;
  return right_root;
}

uint64_t EvalState::NextRandom() {
  // splitmix64: small, seedable, good enough for random().
  uint64_t z = (random_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Value Eval(const Expr& e, const ClassAd* scope, EvalState& st) {
  if (st.depth >= kMaxEvalDepth || --st.steps_left < 0) return Value::Error();
  ++st.depth;
  Value v = EvalNode(e, scope, st);
  --st.depth;
  return v;
}

Value EvalAttributeIn(const Expr& attr_expr, const ClassAd* ad, EvalState& st) {
  for (int i = 0; i < st.active_count; ++i) {
    if (st.active[i] == &attr_expr) return Value::Error();  // a = b; b = a
  }
  if (attr_expr.kind == ExprKind::kLiteral) return attr_expr.value.View();
  size_t slot = (reinterpret_cast<uintptr_t>(&attr_expr) >> 4) % EvalState::kCacheSlots;
  if (st.cache_key[slot] == &attr_expr) return st.cache_value[slot];
  if (st.active_count >= EvalState::kMaxActive) return Value::Error();
  st.active[st.active_count++] = &attr_expr;
  Value v = Eval(attr_expr, ad, st);
  --st.active_count;
  st.cache_key[slot] = &attr_expr;
  st.cache_value[slot] = v;
  return v;
}

Value SelectFromAd(const ClassAd& ad, uint64_t hash, std::string_view lower, EvalState& st) {
  for (const ClassAd* a = &ad; a != nullptr; a = a->parent()) {
    const Expr* found = a->LookupHashed(hash, lower);
    if (found != nullptr) return EvalAttributeIn(*found, a, st);
  }
  return Value::Undefined();
}

Value MakeString(std::string s) {
  if (s.size() > kMaxStringBytes) return Value::Error();
  return Value::String(std::move(s));
}

}  // namespace internal

Value Evaluate(const Expr& expr, const ClassAd* my, const ClassAd* target,
               const EvalOptions& options) {
  internal::EvalState st(my, target, options);
  return internal::Eval(expr, my, st);
}

Value EvaluateAttr(const ClassAd& my, std::string_view name, const ClassAd* target,
                   const EvalOptions& options) {
  const Expr* e = my.Lookup(name);
  if (e == nullptr) return Value::Undefined();
  internal::EvalState st(&my, target, options);
  return internal::EvalAttributeIn(*e, &my, st);
}

}  // namespace gantry::classad
