// Evaluating ClassAd expressions with HTCondor's semantics: MY is the ad an expression
// lives in, TARGET the other ad of a match. Pure: time() and random() read EvalOptions,
// never the clock. Thread-safe for concurrent calls on shared const ads.
//
// A returned Value may borrow strings, lists and ads from `my`, `target` or `expr`; keep
// them alive while using it, or call Value::Owned().
#pragma once

#include <cstdint>
#include <string_view>

#include "classad/classad.h"
#include "classad/expr.h"
#include "classad/value.h"

namespace gantry::classad {

struct EvalOptions {
  int64_t now_seconds = 0;   // what time() returns (seconds since the epoch)
  uint64_t random_seed = 0;  // start of the random() sequence of one evaluation
};

// Evaluation bounds: exceeding them gives `error`, never a crash or a hang.
inline constexpr int kMaxEvalDepth = 1000;
inline constexpr int64_t kMaxEvalSteps = 5'000'000;
inline constexpr size_t kMaxStringBytes = 16 << 20;

// Evaluates `expr` in the scope of `my` (may be null), with `target` as TARGET.
Value Evaluate(const Expr& expr, const ClassAd* my, const ClassAd* target = nullptr,
               const EvalOptions& options = {});
// Evaluates attribute `name` of `my`: undefined when it has none.
Value EvaluateAttr(const ClassAd& my, std::string_view name, const ClassAd* target = nullptr,
                   const EvalOptions& options = {});

}  // namespace gantry::classad
