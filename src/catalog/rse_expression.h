// RSE expressions, as Rucio writes them, select storage endpoints by name and attribute:
//   T2_EE                 the RSE of that name (or, if none has it, those with T2_EE=true)
//   site=T2_EE  tier<2    an attribute equal to a value, or numerically below/above one
//   *                     every RSE
//   A|B  A&B  A\B         union, intersection, difference; ( ) group
// '&' binds tighter than '|' and '\', which go left to right (as SQL's INTERSECT binds
// tighter than UNION and EXCEPT): "A|B&C" is "A|(B&C)", "A|B\C" is "(A|B)\C".
// Grammar and cases: docs/data.md, testdata/rse_expressions.txt. Pure; an RseExpression is
// immutable after Parse: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::catalog {

// What an expression sees of an RSE: its name and attributes (the site is the attribute
// "site").
struct RseView {
  std::string name;
  std::map<std::string, std::string> attributes;
};

class RseExpression {
 public:
  // Errors name the column and what was expected: "column 12: expected a name, key=value,
  // '*' or '(' after '|'".
  static Result<RseExpression> Parse(std::string_view text);

  // The names of the RSEs it selects, in the order of rses.
  std::vector<std::string> Select(std::span<const RseView> rses) const;
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;  // shared by copies; immutable
};

}  // namespace gantry::catalog
