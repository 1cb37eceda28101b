#include "classad/internal/compiled.h"

#include "classad/internal/eval_state.h"

namespace gantry::classad::internal {
namespace {

// Deeper trees go to the tree evaluator, which alone enforces kMaxEvalDepth.
constexpr uint32_t kMaxProgramHeight = 200;

FastValue Make(FastType type) {
  FastValue v;
  v.type = type;
  return v;
}
FastValue Boolean(bool b) {
  FastValue v;
  v.type = FastType::kBoolean;
  v.b = b;
  return v;
}

Value ToValue(const FastValue& v) {
  switch (v.type) {
    case FastType::kUndefined: return Value::Undefined();
    case FastType::kError: return Value::Error();
    case FastType::kBoolean: return Value::Boolean(v.b);
    case FastType::kInteger: return Value::Integer(v.i);
    case FastType::kReal: return Value::Real(v.r);
    case FastType::kString: return Value::StringView({v.s, v.size});
    case FastType::kList: return Value::ListView(v.l);
    case FastType::kDynamic: break;
  }
  return Value::Error();
}

// Value::BooleanEquivalent.
bool BooleanEquivalent(const FastValue& v, bool* out) {
  switch (v.type) {
    case FastType::kBoolean: *out = v.b; return true;
    case FastType::kInteger: *out = v.i != 0; return true;
    case FastType::kReal: *out = v.r != 0.0; return true;
    default: return false;
  }
}

bool EqualNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

template <typename T>
bool Relation(Op op, T x, T y, FastValue* out) {
  switch (op) {
    case Op::kLt: *out = Boolean(x < y); return true;
    case Op::kLe: *out = Boolean(x <= y); return true;
    case Op::kGt: *out = Boolean(x > y); return true;
    case Op::kGe: *out = Boolean(x >= y); return true;
    case Op::kEq: *out = Boolean(x == y); return true;
    case Op::kNe: *out = Boolean(x != y); return true;
    default: return false;
  }
}

// The common cases of operators.cc's BinaryOp, with the same results; false: not covered.
bool FastStrict(Op op, const FastValue& x, const FastValue& y, FastValue* out) {
  if (x.type == FastType::kInteger && y.type == FastType::kInteger) {
    uint64_t ux = static_cast<uint64_t>(x.i), uy = static_cast<uint64_t>(y.i);
    switch (op) {
      case Op::kAdd: out->type = FastType::kInteger; out->i = static_cast<int64_t>(ux + uy); return true;
      case Op::kSub: out->type = FastType::kInteger; out->i = static_cast<int64_t>(ux - uy); return true;
      case Op::kMul: out->type = FastType::kInteger; out->i = static_cast<int64_t>(ux * uy); return true;
      default: return Relation(op, x.i, y.i, out);
    }
  }
  if (x.type == FastType::kReal && y.type == FastType::kReal) return Relation(op, x.r, y.r, out);
  if (x.type == FastType::kString && y.type == FastType::kString &&
      (op == Op::kEq || op == Op::kNe)) {
    bool same = EqualNoCase({x.s, x.size}, {y.s, y.size});
    *out = Boolean(op == Op::kEq ? same : !same);
    return true;
  }
  return false;
}

}  // namespace

FastValue FastFromValue(const Value& v) {
  FastValue f;
  switch (v.type()) {
    case ValueType::kUndefined: f.type = FastType::kUndefined; break;
    case ValueType::kError: f.type = FastType::kError; break;
    case ValueType::kBoolean: f.type = FastType::kBoolean; f.b = v.boolean(); break;
    case ValueType::kInteger: f.type = FastType::kInteger; f.i = v.integer(); break;
    case ValueType::kReal: f.type = FastType::kReal; f.r = v.real(); break;
    case ValueType::kString:
      if (v.string().size() > UINT32_MAX) return Make(FastType::kDynamic);
      f.type = FastType::kString;
      f.s = v.string().data();
      f.size = static_cast<uint32_t>(v.string().size());
      break;
    case ValueType::kList: f.type = FastType::kList; f.l = &v.list(); break;
    case ValueType::kClassAd: f.type = FastType::kDynamic; break;
  }
  return f;
}

uint32_t SlotNames::Intern(std::string_view lower, uint64_t hash) {
  auto [it, added] = ids_.try_emplace(std::string(lower), static_cast<uint32_t>(lower_.size()));
  if (added) {
    lower_.emplace_back(lower);
    hash_.push_back(hash);
  }
  return it->second;
}

FastValue ResolveSlot(const ClassAd& ad, const SlotNames& names, size_t i) {
  if (ad.parent() != nullptr) return Make(FastType::kDynamic);
  const Expr* found = ad.LookupHashed(names.hash(i), names.lower(i));
  if (found == nullptr) return Make(FastType::kUndefined);
  if (found->kind == ExprKind::kLiteral) return FastFromValue(found->value);
  if (found->kind == ExprKind::kList && found->items != nullptr) {
    FastValue v;
    v.type = FastType::kList;
    v.l = found->items.get();
    return v;
  }
  return Make(FastType::kDynamic);  // computed: may depend on its own TARGET
}

std::optional<Program> Program::Compile(const Expr& flattened, const ClassAd& self,
                                        SlotNames& names) {
  if (flattened.height > kMaxProgramHeight || self.parent() != nullptr ||
      self.has_scope_names()) {
    return std::nullopt;
  }
  Program p;
  int root = p.Add(flattened, self, names);
  if (root < 0) return std::nullopt;
  p.root_ = static_cast<uint32_t>(root);
  return p;
}

int Program::Add(const Expr& e, const ClassAd& self, SlotNames& names) {
  Node n;
  auto child = [&](size_t i, uint32_t* out) {
    int c = Add(*e.children[i], self, names);
    if (c < 0) return false;
    *out = static_cast<uint32_t>(c);
    return true;
  };
  switch (e.kind) {
    case ExprKind::kParen: return Add(*e.children[0], self, names);
    case ExprKind::kLiteral:
      n.value = FastFromValue(e.value);
      if (n.value.type == FastType::kDynamic) return -1;
      break;
    case ExprKind::kList:
      if (e.items == nullptr) return -1;
      n.value.type = FastType::kList;
      n.value.l = e.items.get();
      break;
    case ExprKind::kSelect: {
      const Expr& base = *e.children[0];
      if (base.kind != ExprKind::kAttribute || base.absolute ||
          base.special != SpecialName::kTarget) {
        return -1;
      }
      n.kind = Kind::kSlot;
      n.a = names.Intern(e.lower, e.hash);
      break;
    }
    case ExprKind::kAttribute:
      // Not in MY (Flatten kept it), so the evaluator finds it in TARGET.
      if (e.absolute || e.special != SpecialName::kNone ||
          self.LookupHashed(e.hash, e.lower) != nullptr) {
        return -1;
      }
      n.kind = Kind::kSlot;
      n.a = names.Intern(e.lower, e.hash);
      break;
    case ExprKind::kUnary:
      n.kind = Kind::kUnary;
      n.op = e.op;
      if (!child(0, &n.a)) return -1;
      break;
    case ExprKind::kBinary:
      switch (e.op) {
        case Op::kAnd: n.kind = Kind::kAnd; break;
        case Op::kOr: n.kind = Kind::kOr; break;
        case Op::kMetaEq: n.kind = Kind::kMeta; break;
        case Op::kMetaNe: n.kind = Kind::kMeta; n.negate = true; break;
        case Op::kElvis: n.kind = Kind::kElvis; break;
        default: n.kind = Kind::kStrict; break;
      }
      n.op = e.op;
      if (!child(0, &n.a) || !child(1, &n.b)) return -1;
      break;
    case ExprKind::kTernary:
      n.kind = Kind::kTernary;
      if (!child(0, &n.a) || !child(1, &n.b) || !child(2, &n.c)) return -1;
      break;
    case ExprKind::kCall:
      if (e.builtin == nullptr || e.lower != "member" || e.children.size() != 2) return -1;
      n.kind = Kind::kMember;
      if (!child(0, &n.a) || !child(1, &n.b)) return -1;
      break;
    default: return -1;
  }
  nodes_.push_back(n);
  return static_cast<int>(nodes_.size() - 1);
}

// Each case mirrors the tree evaluator (eval.cc, operators.cc, functions_list.cc); a
// kDynamic operand stops evaluation so the caller can start over with the tree evaluator.
FastValue Program::Eval(uint32_t index, const FastValue* slots) const {
  const Node& n = nodes_[index];
  switch (n.kind) {
    case Kind::kConst: return n.value;
    case Kind::kSlot: return slots[n.a];
    case Kind::kAnd:
    case Kind::kOr: {
      bool is_and = n.kind == Kind::kAnd;
      FastValue a = Eval(n.a, slots);
      if (a.type == FastType::kDynamic) return a;
      bool ab = false;
      bool a_bool = BooleanEquivalent(a, &ab);
      if (a_bool && ab != is_and) return Boolean(ab);
      if (a.type == FastType::kError) return a;
      if (!a_bool && a.type != FastType::kUndefined) return Make(FastType::kError);
      FastValue b = Eval(n.b, slots);
      if (b.type == FastType::kDynamic) return b;
      bool bb = false;
      bool b_bool = BooleanEquivalent(b, &bb);
      bool b_exceptional = b.type == FastType::kUndefined || b.type == FastType::kError;
      if (!b_bool && !b_exceptional) return Make(FastType::kError);
      if (a_bool) return b_bool ? Boolean(bb) : b;
      if (b.type == FastType::kError) return b;
      if (b_bool && bb != is_and) return Boolean(bb);
      return Make(FastType::kUndefined);
    }
    case Kind::kUnary: {
      FastValue a = Eval(n.a, slots);
      if (a.type == FastType::kDynamic) return a;
      return FastFromValue(UnaryOp(n.op, ToValue(a)));
    }
    case Kind::kStrict: {
      FastValue a = Eval(n.a, slots);
      if (a.type == FastType::kDynamic) return a;
      FastValue b = Eval(n.b, slots);
      if (b.type == FastType::kDynamic) return b;
      FastValue out;
      if (FastStrict(n.op, a, b, &out)) return out;
      return FastFromValue(BinaryOp(n.op, ToValue(a), ToValue(b)));
    }
    case Kind::kMeta: {
      FastValue a = Eval(n.a, slots);
      if (a.type == FastType::kDynamic) return a;
      FastValue b = Eval(n.b, slots);
      if (b.type == FastType::kDynamic) return b;
      FastValue same = FastFromValue(CompareEqual(ToValue(a), ToValue(b), true));
      if (n.negate && same.type == FastType::kBoolean) same.b = !same.b;
      return same;
    }
    case Kind::kTernary: {
      FastValue cond = Eval(n.a, slots);
      if (cond.type == FastType::kDynamic || cond.type == FastType::kUndefined) return cond;
      bool b = false;
      if (!BooleanEquivalent(cond, &b)) return Make(FastType::kError);
      return Eval(b ? n.b : n.c, slots);
    }
    case Kind::kElvis: {
      FastValue a = Eval(n.a, slots);
      if (a.type != FastType::kUndefined) return a;
      return Eval(n.b, slots);
    }
    case Kind::kMember: {
      FastValue x = Eval(n.a, slots);
      if (x.type == FastType::kDynamic) return x;
      FastValue list = Eval(n.b, slots);
      if (list.type == FastType::kDynamic) return list;
      if (list.type == FastType::kUndefined || x.type == FastType::kUndefined) {
        return Make(FastType::kUndefined);
      }
      if (list.type != FastType::kList || x.type == FastType::kList ||
          x.type == FastType::kError) {
        return Make(FastType::kError);
      }
      for (const Value& item : *list.l) {
        if (item.IsString() && x.type == FastType::kString) {
          if (EqualNoCase(item.string(), {x.s, x.size})) return Boolean(true);
          continue;
        }
        if (item.IsInteger() && x.type == FastType::kInteger) {
          if (item.integer() == x.i) return Boolean(true);
          continue;
        }
        Value same = CompareEqual(item, ToValue(x), false);
        if (same.IsBoolean() && same.boolean()) return Boolean(true);
      }
      return Boolean(false);
    }
  }
  return Make(FastType::kError);
}

}  // namespace gantry::classad::internal
