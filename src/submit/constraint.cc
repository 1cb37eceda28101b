#include "submit/constraint.h"

#include <cctype>

namespace gantry::submit {
namespace {

// Recursive descent over: or := and ('|' and)*; and := term ('&' term)*;
// term := NAME ['*' COUNT] | '(' or ')' | '[' or ']' (brackets not nested, as in SLURM).
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::string> Parse() {
    if (text_.empty()) return Error("is empty");
    GANTRY_ASSIGN_OR_RETURN(std::string out, Or());
    if (pos_ < text_.size()) return Error(Unexpected());
    return out;
  }

 private:
  // One level of the grammar: operands joined by `op`, written in ClassAd with `joiner`
  // (several in parentheses). `|` binds looser than `&`, as in SLURM.
  template <typename Operand>
  Result<std::string> Chain(char op, const char* joiner, Operand operand) {
    GANTRY_ASSIGN_OR_RETURN(std::string out, (this->*operand)());
    bool several = false;
    while (Peek() == op) {
      ++pos_;
      GANTRY_ASSIGN_OR_RETURN(std::string next, (this->*operand)());
      out += joiner + next;
      several = true;
    }
    return several ? "(" + out + ")" : out;
  }
  Result<std::string> Or() { return Chain('|', " || ", &Parser::And); }
  Result<std::string> And() { return Chain('&', " && ", &Parser::Term); }

  Result<std::string> Term() {
    char c = Peek();
    if (c == '(' || c == '[') {
      char close = c == '(' ? ')' : ']';
      if (c == '[' && in_brackets_) return Error("has nested [ ]");
      ++pos_;
      bool outer = in_brackets_;
      in_brackets_ = in_brackets_ || c == '[';
      GANTRY_ASSIGN_OR_RETURN(std::string inner, Or());
      in_brackets_ = outer;
      if (Peek() != close) return Error(std::string("misses its closing '") + close + "'");
      ++pos_;
      GANTRY_RETURN_IF_ERROR(Count());
      return inner;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    if (pos_ == start) return Error(Unexpected());
    std::string name(text_.substr(start, pos_ - start));
    GANTRY_RETURN_IF_ERROR(Count());
    return "member(\"" + name + "\", TARGET.Features)";
  }

  // "*N" after a feature or a group: how many nodes must have it.
  Status Count() {
    if (Peek() != '*') return {};
    ++pos_;
    size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string_view digits = text_.substr(start, pos_ - start);
    if (digits.empty()) return Fail(Refusal("needs a node count after '*'"));
    size_t first = digits.find_first_not_of('0');
    if (first == std::string_view::npos) return Fail(Refusal("has a node count of 0"));
    if (digits.substr(first) != "1") {
      return Fail(Refusal("asks for " + std::string(digits.substr(first)) +
                          " nodes with a feature (*N): a Gantry job runs on one node"));
    }
    return {};
  }

  static bool IsNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':' || c == '+' || c == '=';
  }

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  std::string Unexpected() const {
    if (pos_ >= text_.size()) return "ends where a feature name was expected";
    return "has '" + std::string(1, text_[pos_]) + "' at position " + std::to_string(pos_ + 1) +
           " where a feature name, '(' or '[' was expected";
  }

  gantry::Error Refusal(const std::string& what) const {
    return InvalidArgument("constraint '" + std::string(text_) + "' " + what +
                           " (expected features joined by & and |, grouped with ( ) or [ ], "
                           "e.g. intel&(gpu|fpga))");
  }
  Result<std::string> Error(const std::string& what) const { return Fail(Refusal(what)); }

  std::string_view text_;
  size_t pos_ = 0;
  bool in_brackets_ = false;
};

}  // namespace

Result<std::string> ConstraintToRequirements(std::string_view constraint) {
  return Parser(constraint).Parse();
}

}  // namespace gantry::submit
