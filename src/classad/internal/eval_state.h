// Internal to src/classad: the evaluator's per-call state and entry points shared by the
// operator and function files. Not for other modules. One EvalState per evaluation, used
// by one thread.
#pragma once

#include <cstdint>

#include "classad/classad.h"
#include "classad/eval.h"
#include "classad/expr.h"
#include "classad/value.h"

namespace gantry::classad::internal {

class EvalState {
 public:
  EvalState(const ClassAd* my, const ClassAd* target, const EvalOptions& options);

  // The root ads of the match: TARGET of an expression in one is the other.
  const ClassAd* left_root;
  const ClassAd* right_root;
  const EvalOptions& options;
  int depth = 0;
  int64_t steps_left = kMaxEvalSteps;
  uint64_t random_state;

  // Attribute expressions being evaluated, to turn `a = b; b = a` into error.
  static constexpr int kMaxActive = 256;
  const Expr* active[kMaxActive];
  int active_count = 0;

  // Attribute values computed during this evaluation, so `a1 = a0 + a0; a2 = a1 + a1 ...`
  // costs linear, not exponential, time. Direct-mapped by expression address.
  static constexpr int kCacheSlots = 8;
  const Expr* cache_key[kCacheSlots] = {};
  Value cache_value[kCacheSlots];

  // TARGET for an expression evaluated inside `scope`.
  const ClassAd* TargetFor(const ClassAd* scope) const;
  uint64_t NextRandom();
};

Value Eval(const Expr& e, const ClassAd* scope, EvalState& st);
// Evaluates an attribute's expression found in `ad`, with cycle detection.
Value EvalAttributeIn(const Expr& attr_expr, const ClassAd* ad, EvalState& st);
// Looks `lower` up in `ad` and its parents (not TARGET); undefined when absent.
Value SelectFromAd(const ClassAd& ad, uint64_t hash, std::string_view lower, EvalState& st);

// Strict binary operators (everything but &&, ||, ?: and =?= / =!= short-circuit forms).
Value BinaryOp(Op op, const Value& a, const Value& b);
Value UnaryOp(Op op, const Value& a);
// =?= when `identical`, == otherwise; the boolean result, or undefined/error.
Value CompareEqual(const Value& a, const Value& b, bool identical);

// A string result, or error when it would exceed kMaxStringBytes.
Value MakeString(std::string s);

}  // namespace gantry::classad::internal
