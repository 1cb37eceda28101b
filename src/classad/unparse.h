// Canonical ClassAd text for values, expressions and ads. The output parses back to the
// same value (reals round-trip exactly). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "classad/classad.h"
#include "classad/expr.h"
#include "classad/value.h"

namespace gantry::classad {

std::string Unparse(const Value& value);
std::string Unparse(const Expr& expr);
// "[ a = 1; b = "x" ]"
std::string UnparseClassAd(const ClassAd& ad);
// Old syntax: "Name = expr\n" per attribute, as condor_q -l prints.
std::string UnparseOldClassAd(const ClassAd& ad);
// A string literal with quotes and escapes: "a\"b".
std::string QuoteString(std::string_view s);
// An attribute name, quoted ('a b') when it is not a plain identifier.
std::string QuoteName(std::string_view name);

void AppendValue(std::string& out, const Value& value);
void AppendExpr(std::string& out, const Expr& expr);

}  // namespace gantry::classad
