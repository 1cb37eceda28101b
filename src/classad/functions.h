// The table of built-in functions (ifThenElse, strcat, member, regexp, ...). Names are
// case-insensitive. Unknown names parse but evaluate to error, as in HTCondor.
// The table is immutable: thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "classad/classad.h"
#include "classad/expr.h"
#include "classad/value.h"

namespace gantry::classad {
namespace internal {
class EvalState;
}

struct Builtin {
  std::string_view name;  // lowercase
  // Arguments are unevaluated, so functions such as ifThenElse can be lazy.
  Value (*function)(const Expr& call, const ClassAd* scope, internal::EvalState& st);
  // False when the result depends on more than the argument values (time, random,
  // eval, unparse): Flatten must not fold such calls into constants.
  bool pure;
};

const Builtin* FindBuiltin(std::string_view lower_name);
std::span<const Builtin> Builtins();

}  // namespace gantry::classad
