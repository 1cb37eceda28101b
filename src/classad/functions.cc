#include "classad/functions.h"

#include "classad/internal/function_util.h"

namespace gantry::classad {
namespace {

using namespace internal;  // NOLINT: the table below names every Fn*.

constexpr Builtin kBuiltins[] = {
    {"allcompare", FnAllCompare, true},
    {"anycompare", FnAnyCompare, true},
    {"avg", FnAvg, true},
    {"bool", FnBool, true},
    {"ceil", FnCeiling, true},
    {"ceiling", FnCeiling, true},
    {"eval", FnEval, false},
    {"floor", FnFloor, true},
    {"identicalmember", FnIdenticalMember, true},
    {"ifthenelse", FnIfThenElse, true},
    {"int", FnInt, true},
    {"isboolean", FnIsBoolean, true},
    {"isclassad", FnIsClassAd, true},
    {"iserror", FnIsError, true},
    {"isinteger", FnIsInteger, true},
    {"islist", FnIsList, true},
    {"isreal", FnIsReal, true},
    {"isstring", FnIsString, true},
    {"isundefined", FnIsUndefined, true},
    {"join", FnJoin, true},
    {"max", FnMax, true},
    {"member", FnMember, true},
    {"min", FnMin, true},
    {"pow", FnPow, true},
    {"quantize", FnQuantize, true},
    {"random", FnRandom, false},
    {"real", FnReal, true},
    {"regexp", FnRegexp, true},
    {"regexpmember", FnRegexpMember, true},
    {"regexps", FnRegexps, true},
    {"round", FnRound, true},
    {"size", FnSize, true},
    {"split", FnSplit, true},
    {"strcat", FnStrcat, true},
    {"strcmp", FnStrcmp, true},
    {"stricmp", FnStricmp, true},
    {"string", FnString, true},
    {"stringlistimember", FnStringListIMember, true},
    {"stringlistmember", FnStringListMember, true},
    {"stringlistsize", FnStringListSize, true},
    {"substr", FnSubstr, true},
    {"sum", FnSum, true},
    {"time", FnTime, false},
    {"tolower", FnToLower, true},
    {"toupper", FnToUpper, true},
    {"unparse", FnUnparse, false},
};

}  // namespace

const Builtin* FindBuiltin(std::string_view lower_name) {
  for (const Builtin& b : kBuiltins) {
    if (b.name == lower_name) return &b;
  }
  return nullptr;
}

std::span<const Builtin> Builtins() { return kBuiltins; }

}  // namespace gantry::classad
