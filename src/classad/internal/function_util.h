// Internal to src/classad: helpers shared by the functions_*.cc files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "classad/expr.h"
#include "classad/internal/eval_state.h"
#include "classad/value.h"

namespace gantry::classad::internal {

using FunctionImpl = Value(const Expr& call, const ClassAd* scope, EvalState& st);

inline size_t ArgCount(const Expr& call) { return call.children.size(); }
inline Value Arg(const Expr& call, size_t i, const ClassAd* scope, EvalState& st) {
  return Eval(*call.children[i], scope, st);
}

// HTCondor's conversions (convertValueTo*): undefined stays undefined; error, lists and
// ads become error (strings: lists and ads unparse).
Value ConvertToString(const Value& v);
Value ConvertToInteger(const Value& v);
Value ConvertToReal(const Value& v);
// Splits `s` at any of `delimiters`, skipping empty tokens and trimming blanks.
std::vector<std::string_view> SplitStringList(std::string_view s, std::string_view delimiters);
bool EqualsNoCase(std::string_view a, std::string_view b);

// Function bodies, registered in functions.cc.
FunctionImpl FnIfThenElse, FnIsUndefined, FnIsError, FnIsString, FnIsInteger, FnIsReal,
    FnIsBoolean, FnIsList, FnIsClassAd, FnInt, FnReal, FnString, FnBool, FnTime, FnRandom,
    FnEval, FnUnparse;
FunctionImpl FnFloor, FnCeiling, FnRound, FnPow, FnQuantize;
FunctionImpl FnStrcat, FnJoin, FnSubstr, FnSize, FnToUpper, FnToLower, FnStrcmp, FnStricmp,
    FnStringListMember, FnStringListIMember, FnStringListSize, FnSplit;
FunctionImpl FnRegexp, FnRegexps, FnRegexpMember;
FunctionImpl FnMember, FnIdenticalMember, FnSum, FnAvg, FnMin, FnMax, FnAnyCompare,
    FnAllCompare;

}  // namespace gantry::classad::internal
