#include "classad/flatten.h"

#include <utility>

#include "classad/eval.h"
#include "classad/functions.h"

namespace gantry::classad {
namespace {

class Flattener {
 public:
  explicit Flattener(const ClassAd& my) : my_(my) {}

  ExprPtr Run(const Expr& e) {
    if (++depth_ > 200) {  // far below the parser's bound; just stop simplifying
      --depth_;
      return e.Clone();
    }
    ExprPtr out = Simplify(e);
    --depth_;
    return out;
  }

 private:
  // The constant value of MY's attribute `found`, or null when it is not constant.
  ExprPtr ConstantOf(const Expr& found) {
    for (const Expr* active : active_) {
      if (active == &found) return nullptr;  // a cycle: leave it to the evaluator
    }
    active_.push_back(&found);
    ExprPtr flat = Run(found);
    active_.pop_back();
    if (flat->kind != ExprKind::kLiteral) return nullptr;
    return flat;
  }

  bool IsMy(const Expr& e) const {
    return e.kind == ExprKind::kAttribute && e.special == SpecialName::kMy &&
           my_.LookupHashed(e.hash, e.lower) == nullptr;
  }

  ExprPtr Simplify(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
      case ExprKind::kClassAd: return e.Clone();
      case ExprKind::kAttribute: {
        if (e.absolute || e.special != SpecialName::kNone) return e.Clone();
        const Expr* found = my_.LookupHashed(e.hash, e.lower);
        if (found == nullptr) return e.Clone();  // looked up in TARGET at match time
        ExprPtr constant = ConstantOf(*found);
        return constant != nullptr ? std::move(constant) : e.Clone();
      }
      case ExprKind::kSelect: {
        if (IsMy(*e.children[0])) {
          const Expr* found = my_.LookupHashed(e.hash, e.lower);
          if (found == nullptr) return MakeLiteral(Value::Undefined());
          ExprPtr constant = ConstantOf(*found);
          return constant != nullptr ? std::move(constant) : e.Clone();
        }
        return Rebuild(e);
      }
      default: return Rebuild(e);
    }
  }

  // Flattens the children; folds the node when they are all constants.
  ExprPtr Rebuild(const Expr& e) {
    auto node = std::make_unique<Expr>();
    node->kind = e.kind;
    node->op = e.op;
    node->name = e.name;
    node->lower = e.lower;
    node->hash = e.hash;
    node->builtin = e.builtin;
    node->height = e.height;
    bool all_constant = true;
    for (const ExprPtr& c : e.children) {
      node->children.push_back(Run(*c));
      all_constant = all_constant && node->children.back()->kind == ExprKind::kLiteral;
    }
    if (e.kind == ExprKind::kList && !all_constant) return MakeList(std::move(node->children));
    if (e.kind == ExprKind::kSelect && node->children[0]->kind == ExprKind::kLiteral &&
        !node->children[0]->value.IsClassAd()) {
      all_constant = true;  // undefined.x, "s".x: no ad to look into
    } else if (e.kind == ExprKind::kSelect) {
      all_constant = false;
    }
    if (e.kind == ExprKind::kCall && (e.builtin == nullptr || !e.builtin->pure)) {
      all_constant = e.builtin == nullptr;  // unknown functions are always error
    }
    if (e.kind == ExprKind::kBinary && (e.op == Op::kAnd || e.op == Op::kOr) &&
        node->children[0]->kind == ExprKind::kLiteral) {
      // Short circuit on a constant left side: false && x, true || x, error && x.
      const Value& left = node->children[0]->value;
      std::optional<bool> b = left.BooleanEquivalent();
      bool decided = left.IsError() || (b.has_value() && *b == (e.op == Op::kOr)) ||
                     (!b.has_value() && !left.IsUndefined());
      if (decided) all_constant = true;
    }
    if (e.kind == ExprKind::kTernary && node->children[0]->kind == ExprKind::kLiteral) {
      const Value& cond = node->children[0]->value;
      std::optional<bool> b = cond.BooleanEquivalent();
      if (b.has_value()) return std::move(node->children[*b ? 1 : 2]);
      all_constant = true;  // undefined, error or a non-boolean
    }
    if (!all_constant) return node;
    return MakeLiteral(Evaluate(*node, nullptr).Owned());
  }

  const ClassAd& my_;
  std::vector<const Expr*> active_;
  int depth_ = 0;
};

}  // namespace

ExprPtr Flatten(const Expr& expr, const ClassAd& my) { return Flattener(my).Run(expr); }

}  // namespace gantry::classad
