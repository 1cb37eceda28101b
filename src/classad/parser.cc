#include "classad/parser.h"

#include <memory>
#include <string>
#include <utility>

#include "classad/lexer.h"

namespace gantry::classad {
namespace {

// Binary operators by precedence level (higher binds tighter), as HTCondor.
int BinaryPrecedence(const Token& t, Op* op) {
  if (t.type != Tok::kPunct) return -1;
  struct Entry {
    std::string_view text;
    Op op;
    int level;
  };
  static constexpr Entry kTable[] = {
      {"||", Op::kOr, 1},      {"&&", Op::kAnd, 2},    {"|", Op::kBitOr, 3},
      {"^", Op::kBitXor, 4},   {"&", Op::kBitAnd, 5},  {"==", Op::kEq, 6},
      {"!=", Op::kNe, 6},      {"=?=", Op::kMetaEq, 6}, {"=!=", Op::kMetaNe, 6},
      {"<", Op::kLt, 7},       {"<=", Op::kLe, 7},     {">", Op::kGt, 7},
      {">=", Op::kGe, 7},      {"<<", Op::kShl, 8},    {">>", Op::kShr, 8},
      {">>>", Op::kUshr, 8},   {"+", Op::kAdd, 9},     {"-", Op::kSub, 9},
      {"*", Op::kMul, 10},     {"/", Op::kDiv, 10},    {"%", Op::kMod, 10},
  };
  for (const Entry& e : kTable) {
    if (t.text == e.text) {
      *op = e.op;
      return e.level;
    }
  }
  return -1;
}

std::string Describe(const Token& t) {
  switch (t.type) {
    case Tok::kEnd: return "end of input";
    case Tok::kString: return "string " + std::string(t.text);
    default: return "'" + std::string(t.text) + "'";
  }
}

// Recursive descent with one token of lookahead.
class Parser {
 public:
  Parser(std::string_view text, uint32_t first_line) : lexer_(text, first_line) { Shift(); }

  Result<ExprPtr> Expression() {
    if (++nesting_ > kMaxParseNesting) return Fail(ErrorAt(tok_, "expression nested too deeply"));
    auto r = Ternary();
    --nesting_;
    return r;
  }

  Result<std::unique_ptr<ClassAd>> AdBody();  // after '['

  Status ExpectEnd() {
    if (tok_.type == Tok::kInvalid) return Fail(ErrorAt(tok_, tok_.error));
    if (tok_.type != Tok::kEnd) {
      return Fail(ErrorAt(tok_, "unexpected " + Describe(tok_) + " after the end"));
    }
    return {};
  }

  const Token& token() const { return tok_; }
  void Shift() { tok_ = lexer_.Next(); }

  Error ErrorAt(const Token& t, std::string what) const {
    return InvalidArgument(std::to_string(t.line) + ":" + std::to_string(t.column) + ": " +
                           std::move(what));
  }
  Error Expected(std::string_view what) const {
    if (tok_.type == Tok::kInvalid) return ErrorAt(tok_, tok_.error);
    return ErrorAt(tok_, "expected " + std::string(what) + " but found " + Describe(tok_));
  }

 private:
  Result<ExprPtr> Checked(ExprPtr e, const Token& at) {
    if (e->height > kMaxExprHeight) return Fail(ErrorAt(at, "expression nested too deeply"));
    return e;
  }

  Result<ExprPtr> Ternary() {
    Token start = tok_;
    GANTRY_ASSIGN_OR_RETURN(ExprPtr cond, Binary(1));
    if (!tok_.Is("?")) return cond;
    Shift();
    if (tok_.Is(":")) {  // a ?: b
      Shift();
      GANTRY_ASSIGN_OR_RETURN(ExprPtr fallback, Expression());
      return Checked(MakeBinary(Op::kElvis, std::move(cond), std::move(fallback)), start);
    }
    GANTRY_ASSIGN_OR_RETURN(ExprPtr then_expr, Expression());
    if (!tok_.Is(":")) return Fail(Expected("':'"));
    Shift();
    GANTRY_ASSIGN_OR_RETURN(ExprPtr else_expr, Expression());
    return Checked(MakeTernary(std::move(cond), std::move(then_expr), std::move(else_expr)),
                   start);
  }

  // Precedence climbing; left-associative chains are built in a loop, so only
  // parentheses and unary operators nest the C++ stack.
  Result<ExprPtr> Binary(int min_level) {
    GANTRY_ASSIGN_OR_RETURN(ExprPtr left, Unary());
    while (true) {
      Op op = Op::kNone;
      int level = BinaryPrecedence(tok_, &op);
      if (level < min_level) return left;
      Token at = tok_;
      Shift();
      GANTRY_ASSIGN_OR_RETURN(ExprPtr right, Binary(level + 1));
      GANTRY_ASSIGN_OR_RETURN(left, Checked(MakeBinary(op, std::move(left), std::move(right)), at));
    }
  }

  Result<ExprPtr> Unary() {
    Op op = Op::kNone;
    if (tok_.Is("-")) op = Op::kNeg;
    if (tok_.Is("+")) op = Op::kPlus;
    if (tok_.Is("!")) op = Op::kNot;
    if (tok_.Is("~")) op = Op::kBitNot;
    if (op == Op::kNone) return Postfix();
    Token at = tok_;
    if (++nesting_ > kMaxParseNesting) return Fail(ErrorAt(tok_, "expression nested too deeply"));
    Shift();
    auto operand = Unary();
    --nesting_;
    if (!operand) return operand;
    return Checked(MakeUnary(op, std::move(*operand)), at);
  }

  Result<ExprPtr> Postfix() {
    GANTRY_ASSIGN_OR_RETURN(ExprPtr e, Primary());
    while (true) {
      Token at = tok_;
      if (tok_.Is(".")) {
        Shift();
        if (tok_.type != Tok::kIdentifier) return Fail(Expected("an attribute name after '.'"));
        std::string name = tok_.text_value;
        Shift();
        GANTRY_ASSIGN_OR_RETURN(e, Checked(MakeSelect(std::move(e), name), at));
      } else if (tok_.Is("[")) {
        Shift();
        GANTRY_ASSIGN_OR_RETURN(ExprPtr index, Expression());
        if (!tok_.Is("]")) return Fail(Expected("']'"));
        Shift();
        GANTRY_ASSIGN_OR_RETURN(e, Checked(MakeSubscript(std::move(e), std::move(index)), at));
      } else {
        return e;
      }
    }
  }

  Result<ExprPtr> Primary() {
    Token t = tok_;
    switch (t.type) {
      case Tok::kInteger: Shift(); return MakeLiteral(Value::Integer(t.integer));
      case Tok::kReal: Shift(); return MakeLiteral(Value::Real(t.real));
      case Tok::kString: Shift(); return MakeLiteral(Value::String(std::move(t.text_value)));
      case Tok::kTrue: Shift(); return MakeLiteral(Value::Boolean(true));
      case Tok::kFalse: Shift(); return MakeLiteral(Value::Boolean(false));
      case Tok::kUndefined: Shift(); return MakeLiteral(Value::Undefined());
      case Tok::kError: Shift(); return MakeLiteral(Value::Error());
      case Tok::kIdentifier: {
        Shift();
        if (tok_.Is("(") && t.text.size() > 0 && t.text[0] != '\'') return Call(t);
        return MakeAttribute(t.text_value, false);
      }
      case Tok::kInvalid: return Fail(ErrorAt(t, t.error));
      default: break;
    }
    if (t.Is(".")) {
      Shift();
      if (tok_.type != Tok::kIdentifier) return Fail(Expected("an attribute name after '.'"));
      std::string name = tok_.text_value;
      Shift();
      return MakeAttribute(name, true);
    }
    if (t.Is("(") || t.Is("{") || t.Is("[")) {
      if (++nesting_ > kMaxParseNesting) return Fail(ErrorAt(t, "expression nested too deeply"));
      Shift();
      Result<ExprPtr> r = t.Is("(") ? Paren() : t.Is("{") ? ListBody() : AdExpr();
      --nesting_;
      return r;
    }
    return Fail(Expected("an expression"));
  }

  Result<ExprPtr> Paren() {
    Token at = tok_;
    GANTRY_ASSIGN_OR_RETURN(ExprPtr inner, Expression());
    if (!tok_.Is(")")) return Fail(Expected("')'"));
    Shift();
    return Checked(MakeParen(std::move(inner)), at);
  }

  Result<ExprPtr> Call(const Token& name) {
    Shift();  // '('
    if (++nesting_ > kMaxParseNesting) return Fail(ErrorAt(name, "expression nested too deeply"));
    std::vector<ExprPtr> args;
    if (!tok_.Is(")")) {
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(ExprPtr arg, Expression());
        args.push_back(std::move(arg));
        if (tok_.Is(")")) break;
        if (!tok_.Is(",")) return Fail(Expected("',' or ')' in the arguments of " +
                                                std::string(name.text)));
        Shift();
      }
    }
    Shift();
    --nesting_;
    return Checked(MakeCall(name.text_value, std::move(args)), name);
  }

  Result<ExprPtr> ListBody() {
    Token at = tok_;
    std::vector<ExprPtr> items;
    if (!tok_.Is("}")) {
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(ExprPtr item, Expression());
        items.push_back(std::move(item));
        if (tok_.Is("}")) break;
        if (!tok_.Is(",")) return Fail(Expected("',' or '}' in a list"));
        Shift();
      }
    }
    Shift();
    return Checked(MakeList(std::move(items)), at);
  }

  Result<ExprPtr> AdExpr() {
    Token at = tok_;
    GANTRY_ASSIGN_OR_RETURN(std::unique_ptr<ClassAd> ad, AdBody());
    return Checked(MakeClassAdExpr(std::move(ad)), at);
  }

  Lexer lexer_;
  Token tok_;
  int nesting_ = 0;
};

Result<std::unique_ptr<ClassAd>> Parser::AdBody() {
  auto ad = std::make_unique<ClassAd>();
  while (!tok_.Is("]")) {
    if (tok_.type != Tok::kIdentifier) return Fail(Expected("an attribute name or ']'"));
    std::string name = tok_.text_value;
    Shift();
    if (!tok_.Is("=")) return Fail(Expected("'=' after " + name));
    Shift();
    GANTRY_ASSIGN_OR_RETURN(ExprPtr value, Expression());
    ad->Insert(name, std::move(value));
    if (tok_.Is(";")) {
      Shift();
    } else if (!tok_.Is("]")) {
      return Fail(Expected("';' or ']'"));
    }
  }
  Shift();
  return ad;
}

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

bool IsComment(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  return i != std::string_view::npos && line[i] == '#';
}

// Parses one "Name = expr" line into `ad`.
Status ParseOldLine(std::string_view line, uint32_t line_number, ClassAd& ad) {
  Parser p(line, line_number);
  if (p.token().type != Tok::kIdentifier) return Fail(p.Expected("an attribute name"));
  std::string name = p.token().text_value;
  p.Shift();
  if (!p.token().Is("=")) return Fail(p.Expected("'=' after " + name));
  p.Shift();
  GANTRY_ASSIGN_OR_RETURN(ExprPtr value, p.Expression());
  GANTRY_RETURN_IF_ERROR(p.ExpectEnd());
  ad.Insert(name, std::move(value));
  return {};
}

}  // namespace

Result<ExprPtr> ParseExpr(std::string_view text) {
  Parser p(text, 1);
  GANTRY_ASSIGN_OR_RETURN(ExprPtr e, p.Expression());
  GANTRY_RETURN_IF_ERROR(p.ExpectEnd());
  return e;
}

Result<ClassAd> ParseClassAd(std::string_view text) {
  Parser p(text, 1);
  if (!p.token().Is("[")) return Fail(p.Expected("'[' to start a ClassAd"));
  p.Shift();
  GANTRY_ASSIGN_OR_RETURN(std::unique_ptr<ClassAd> ad, p.AdBody());
  GANTRY_RETURN_IF_ERROR(p.ExpectEnd());
  return std::move(*ad);
}

Result<std::vector<ClassAd>> ParseOldClassAds(std::string_view text) {
  std::vector<ClassAd> ads;
  ClassAd current;
  bool have = false;
  uint32_t line_number = 0;
  while (!text.empty() || have) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_number;
    if (IsBlank(line)) {
      if (have) ads.push_back(std::move(current));
      current = ClassAd();
      have = false;
      if (text.empty()) break;
      continue;
    }
    if (IsComment(line)) continue;
    GANTRY_RETURN_IF_ERROR(ParseOldLine(line, line_number, current));
    have = true;
  }
  return ads;
}

Result<ClassAd> ParseOldClassAd(std::string_view text) {
  ClassAd ad;
  uint32_t line_number = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_number;
    if (IsBlank(line) || IsComment(line)) continue;
    GANTRY_RETURN_IF_ERROR(ParseOldLine(line, line_number, ad));
  }
  return ad;
}

Result<ClassAd> ParseClassAdAnyFormat(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      break;
    }
  }
  if (i < text.size() && text[i] == '[') return ParseClassAd(text);
  return ParseOldClassAd(text);
}

Status InsertParsed(ClassAd& ad, std::string_view name, std::string_view text) {
  GANTRY_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr(text));
  ad.Insert(name, std::move(e));
  return {};
}

}  // namespace gantry::classad
