#include "classad/expr.h"

#include <algorithm>
#include <utility>

#include "classad/classad.h"
#include "classad/functions.h"

namespace gantry::classad {
namespace {

uint32_t HeightOf(const std::vector<ExprPtr>& children) {
  uint32_t h = 0;
  for (const ExprPtr& c : children) h = std::max(h, c->height);
  return h + 1;
}

SpecialName SpecialFor(std::string_view lower) {
  if (lower == "my" || lower == "self") return SpecialName::kMy;
  if (lower == "target") return SpecialName::kTarget;
  if (lower == "parent") return SpecialName::kParent;
  if (lower == "toplevel" || lower == "root") return SpecialName::kRoot;
  return SpecialName::kNone;
}

ExprPtr NewNode(ExprKind kind) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  return e;
}

void SetName(Expr& e, std::string_view name) {
  e.name = std::string(name);
  e.lower = LowerName(name);
  e.hash = NameHash(e.lower);
}

// A list literal whose elements are all literals evaluates to a view of one stored list,
// so evaluating it allocates nothing.
void PrecomputeConstantList(Expr& e) {
  for (const ExprPtr& c : e.children) {
    if (c->kind != ExprKind::kLiteral) return;
  }
  e.items = std::make_unique<ValueList>();
  e.items->reserve(e.children.size());
  for (const ExprPtr& c : e.children) e.items->push_back(c->value.View());
  e.value = Value::ListView(e.items.get());
}

}  // namespace

Expr::~Expr() = default;

ExprPtr Expr::Clone() const {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->op = op;
  e->absolute = absolute;
  e->special = special;
  e->height = height;
  e->name = name;
  e->lower = lower;
  e->hash = hash;
  e->builtin = builtin;
  e->children.reserve(children.size());
  for (const ExprPtr& c : children) e->children.push_back(c->Clone());
  if (kind == ExprKind::kLiteral) e->value = value;
  if (kind == ExprKind::kList && items != nullptr) PrecomputeConstantList(*e);
  if (ad != nullptr) e->ad = std::make_unique<ClassAd>(*ad);
  return e;
}

uint64_t NameHash(std::string_view lower_name) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : lower_name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string LowerName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

ExprPtr MakeLiteral(Value v) {
  ExprPtr e = NewNode(ExprKind::kLiteral);
  e->value = std::move(v);
  return e;
}

ExprPtr MakeAttribute(std::string_view name, bool absolute) {
  ExprPtr e = NewNode(ExprKind::kAttribute);
  SetName(*e, name);
  e->absolute = absolute;
  if (!absolute) e->special = SpecialFor(e->lower);
  return e;
}

ExprPtr MakeSelect(ExprPtr base, std::string_view name) {
  ExprPtr e = NewNode(ExprKind::kSelect);
  SetName(*e, name);
  e->children.push_back(std::move(base));
  e->height = HeightOf(e->children);
  return e;
}

ExprPtr MakeSubscript(ExprPtr base, ExprPtr index) {
  ExprPtr e = NewNode(ExprKind::kSubscript);
  e->children.push_back(std::move(base));
  e->children.push_back(std::move(index));
  e->height = HeightOf(e->children);
  return e;
}

ExprPtr MakeUnary(Op op, ExprPtr operand) {
  ExprPtr e = NewNode(ExprKind::kUnary);
  e->op = op;
  e->children.push_back(std::move(operand));
  e->height = HeightOf(e->children);
  return e;
}

ExprPtr MakeBinary(Op op, ExprPtr left, ExprPtr right) {
  ExprPtr e = NewNode(ExprKind::kBinary);
  e->op = op;
  e->children.push_back(std::move(left));
  e->children.push_back(std::move(right));
  e->height = HeightOf(e->children);
  return e;
}

ExprPtr MakeTernary(ExprPtr cond, ExprPtr then_expr, ExprPtr else_expr) {
  ExprPtr e = NewNode(ExprKind::kTernary);
  e->children.push_back(std::move(cond));
  e->children.push_back(std::move(then_expr));
  e->children.push_back(std::move(else_expr));
  e->height = HeightOf(e->children);
  return e;
}

ExprPtr MakeCall(std::string_view name, std::vector<ExprPtr> args) {
  ExprPtr e = NewNode(ExprKind::kCall);
  SetName(*e, name);
  e->builtin = FindBuiltin(e->lower);
  e->children = std::move(args);
  e->height = HeightOf(e->children);
  return e;
}

ExprPtr MakeList(std::vector<ExprPtr> elements) {
  ExprPtr e = NewNode(ExprKind::kList);
  e->children = std::move(elements);
  e->height = HeightOf(e->children);
  PrecomputeConstantList(*e);
  return e;
}

ExprPtr MakeClassAdExpr(std::unique_ptr<ClassAd> ad) {
  ExprPtr e = NewNode(ExprKind::kClassAd);
  uint32_t h = 0;
  for (const ClassAd::Attribute& a : ad->attributes()) h = std::max(h, a.expr->height);
  e->height = h + 1;
  e->ad = std::move(ad);
  return e;
}

ExprPtr MakeParen(ExprPtr inner) {
  ExprPtr e = NewNode(ExprKind::kParen);
  e->children.push_back(std::move(inner));
  e->height = HeightOf(e->children);
  return e;
}

}  // namespace gantry::classad
