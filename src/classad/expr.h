// Expr: one node of a parsed ClassAd expression tree. Trees are built by the parser (or
// by Flatten) and are immutable afterwards, so one tree may be evaluated by many threads
// at once. A node owns its children.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "classad/value.h"

namespace gantry::classad {

class ClassAd;
struct Builtin;
struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind : uint8_t {
  kLiteral,    // value
  kAttribute,  // name, or .name when absolute
  kSelect,     // children[0].name
  kSubscript,  // children[0][children[1]]
  kUnary,      // op children[0]
  kBinary,     // children[0] op children[1]
  kTernary,    // children[0] ? children[1] : children[2]
  kCall,       // name(children...)
  kList,       // { children... }
  kClassAd,    // [ ad ]
  kParen,      // ( children[0] ), kept so unparsing keeps the user's grouping
};

enum class Op : uint8_t {
  kNone,
  // binary, by increasing precedence
  kOr,
  kAnd,
  kBitOr,
  kBitXor,
  kBitAnd,
  kEq,
  kNe,
  kMetaEq,
  kMetaNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kShl,
  kShr,
  kUshr,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kElvis,  // a ?: b
  // unary
  kNeg,
  kPlus,
  kNot,
  kBitNot,
};

// Names that mean a scope when no attribute of that name exists (HTCondor semantics).
enum class SpecialName : uint8_t { kNone, kMy, kTarget, kParent, kRoot };

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Op op = Op::kNone;
  bool absolute = false;           // ".name": looked up from the outermost ad
  SpecialName special = SpecialName::kNone;
  uint32_t height = 1;             // longest path to a leaf; bounded by the parser
  Value value;                     // kLiteral; for constant lists, a view of `items`
  std::string name;                // attribute or function name as written
  std::string lower;               // lowercased name
  uint64_t hash = 0;               // NameHash(lower)
  const Builtin* builtin = nullptr;  // kCall: null when the function is unknown
  std::vector<ExprPtr> children;
  std::unique_ptr<ValueList> items;  // kList whose elements are all constants
  std::unique_ptr<ClassAd> ad;       // kClassAd

  ~Expr();
  ExprPtr Clone() const;
};

// Node constructors used by the parser, Flatten and tests.
ExprPtr MakeLiteral(Value v);
ExprPtr MakeAttribute(std::string_view name, bool absolute);
ExprPtr MakeSelect(ExprPtr base, std::string_view name);
ExprPtr MakeSubscript(ExprPtr base, ExprPtr index);
ExprPtr MakeUnary(Op op, ExprPtr operand);
ExprPtr MakeBinary(Op op, ExprPtr left, ExprPtr right);
ExprPtr MakeTernary(ExprPtr cond, ExprPtr then_expr, ExprPtr else_expr);
ExprPtr MakeCall(std::string_view name, std::vector<ExprPtr> args);
ExprPtr MakeList(std::vector<ExprPtr> elements);
ExprPtr MakeClassAdExpr(std::unique_ptr<ClassAd> ad);
ExprPtr MakeParen(ExprPtr inner);

// FNV-1a of the ASCII-lowercased name: how attribute names are looked up.
uint64_t NameHash(std::string_view lower_name);
std::string LowerName(std::string_view name);

}  // namespace gantry::classad
