// Parsing ClassAd text: single expressions, new-syntax ads ("[ a = 1; b = "x" ]") and
// old-syntax ads ("A = 1" per line, as condor_q -l prints). Pure functions, thread-safe.
// Errors carry "LINE:COLUMN: what" so callers can prefix a file name.
#pragma once

#include <string_view>
#include <vector>

#include "base/error.h"
#include "classad/classad.h"
#include "classad/expr.h"

namespace gantry::classad {

// Nesting bounds: deeper input is a parse error, never a stack overflow.
inline constexpr int kMaxParseNesting = 200;
inline constexpr uint32_t kMaxExprHeight = 1000;

Result<ExprPtr> ParseExpr(std::string_view text);
// A new-syntax ad: "[ name = expr; ... ]" (the brackets are required).
Result<ClassAd> ParseClassAd(std::string_view text);
// An old-syntax ad: one "Name = expr" per line; blank lines and "#" comments skipped.
Result<ClassAd> ParseOldClassAd(std::string_view text);
// Several old-syntax ads separated by blank lines (condor_q -l output).
Result<std::vector<ClassAd>> ParseOldClassAds(std::string_view text);
// New syntax when the first non-blank character is '[', old syntax otherwise.
Result<ClassAd> ParseClassAdAnyFormat(std::string_view text);

// Parses `text` and binds it to `name` in `ad`.
Status InsertParsed(ClassAd& ad, std::string_view name, std::string_view text);

}  // namespace gantry::classad
