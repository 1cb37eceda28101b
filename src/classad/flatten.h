// Flatten: partial evaluation of an expression against its own ad (MY), so matching it
// against many TARGET ads only evaluates what depends on TARGET. References that resolve
// to constants in MY become literals; constant subexpressions fold. Pure, thread-safe.
#pragma once

#include "classad/classad.h"
#include "classad/expr.h"

namespace gantry::classad {

// Returns an expression that evaluates, with MY = `my` and any TARGET, to the same value
// as `expr` does.
ExprPtr Flatten(const Expr& expr, const ClassAd& my);

}  // namespace gantry::classad
