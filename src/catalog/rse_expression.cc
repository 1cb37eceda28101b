#include "catalog/rse_expression.h"

#include <cctype>
#include <cstdlib>
#include <optional>
#include <set>

namespace gantry::catalog {

struct RseExpression::Node {
  enum class Kind { kAll, kName, kEquals, kLess, kGreater, kUnion, kIntersection, kDifference };
  Kind kind;
  std::string key;
  std::string value;
  std::shared_ptr<const Node> left, right;
};

namespace {

using Node = RseExpression::Node;
using NodePtr = std::shared_ptr<const Node>;

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

std::optional<double> Number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<NodePtr> Parse() {
    SkipSpace();
    if (pos_ == text_.size()) return Fail(Bad("the expression is empty"));
    GANTRY_ASSIGN_OR_RETURN(NodePtr node, UnionLevel());
    SkipSpace();
    if (pos_ != text_.size()) {
      if (text_[pos_] == ')') return Fail(Bad("')' without a matching '('"));
      return Fail(Bad(std::string("unexpected '") + text_[pos_] +
                      "': expected '|', '&', '\\' or the end"));
    }
    return node;
  }

 private:
  Error Bad(std::string what) const {
    return InvalidArgument("RSE expression '" + std::string(text_) + "': column " +
                           std::to_string(pos_ + 1) + ": " + what);
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  // union/difference level: left to right.
  Result<NodePtr> UnionLevel() {
    GANTRY_ASSIGN_OR_RETURN(NodePtr left, IntersectionLevel());
    while (true) {
      SkipSpace();
      if (pos_ == text_.size() || (text_[pos_] != '|' && text_[pos_] != '\\')) return left;
      char op = text_[pos_++];
      GANTRY_ASSIGN_OR_RETURN(NodePtr right, IntersectionLevel(op));
      left = std::make_shared<Node>(Node{op == '|' ? Node::Kind::kUnion : Node::Kind::kDifference,
                                         "", "", left, right});
    }
  }

  Result<NodePtr> IntersectionLevel(char after = 0) {
    GANTRY_ASSIGN_OR_RETURN(NodePtr left, Primary(after));
    while (true) {
      SkipSpace();
      if (pos_ == text_.size() || text_[pos_] != '&') return left;
      ++pos_;
      GANTRY_ASSIGN_OR_RETURN(NodePtr right, Primary('&'));
      left = std::make_shared<Node>(Node{Node::Kind::kIntersection, "", "", left, right});
    }
  }

  std::string Word() {
    size_t start = pos_;
    while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Result<NodePtr> Primary(char after) {
    SkipSpace();
    std::string expected = "expected a name, key=value, '*' or '('";
    if (after) expected += std::string(" after '") + after + "'";
    if (pos_ == text_.size()) return Fail(Bad(expected));
    char c = text_[pos_];
    if (c == '(') {
      size_t open = pos_++;
      GANTRY_ASSIGN_OR_RETURN(NodePtr inner, UnionLevel());
      SkipSpace();
      if (pos_ == text_.size() || text_[pos_] != ')') {
        size_t here = pos_;
        pos_ = open;
        Error e = Bad("'(' is never closed");
        pos_ = here;
        return Fail(e);
      }
      ++pos_;
      return inner;
    }
    if (c == '*') {
      ++pos_;
      return std::make_shared<Node>(Node{Node::Kind::kAll, "", "", nullptr, nullptr});
    }
    if (!IsWordChar(c)) return Fail(Bad(expected + std::string(", not '") + c + "'"));
    std::string key = Word();
    SkipSpace();
    if (pos_ < text_.size() && (text_[pos_] == '=' || text_[pos_] == '<' || text_[pos_] == '>')) {
      char op = text_[pos_++];
      SkipSpace();
      std::string value = Word();
      if (value.empty()) {
        return Fail(Bad(std::string("expected a value after '") + key + op + "'"));
      }
      if (op != '=' && !Number(value)) {
        return Fail(Bad(std::string("'") + key + op + value + "' compares with a number, and '" +
                        value + "' is not one"));
      }
      Node::Kind kind = op == '=' ? Node::Kind::kEquals
                                  : op == '<' ? Node::Kind::kLess : Node::Kind::kGreater;
      return std::make_shared<Node>(Node{kind, key, value, nullptr, nullptr});
    }
    return std::make_shared<Node>(Node{Node::Kind::kName, key, "", nullptr, nullptr});
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::set<size_t> Eval(const Node& node, std::span<const RseView> rses) {
  std::set<size_t> out;
  auto each = [&](auto pred) {
    for (size_t i = 0; i < rses.size(); ++i) {
      if (pred(rses[i])) out.insert(i);
    }
  };
  auto attribute = [&](const RseView& r) -> const std::string* {
    auto it = r.attributes.find(node.key);
    return it == r.attributes.end() ? nullptr : &it->second;
  };
  switch (node.kind) {
    case Node::Kind::kAll: each([](const RseView&) { return true; }); break;
    case Node::Kind::kName: {
      each([&](const RseView& r) { return r.name == node.key; });
      if (out.empty()) {
        // Rucio's rule: a bare word that names no RSE is an attribute that must be true.
        each([&](const RseView& r) {
          const std::string* v = attribute(r);
          return v && (*v == "true" || *v == "True" || *v == "1");
        });
      }
      break;
    }
    case Node::Kind::kEquals:
      each([&](const RseView& r) {
        const std::string* v = attribute(r);
        if (!v) return false;
        if (*v == node.value) return true;
        auto a = Number(*v), b = Number(node.value);
        return a && b && *a == *b;
      });
      break;
    case Node::Kind::kLess:
    case Node::Kind::kGreater: {
      double limit = *Number(node.value);
      bool less = node.kind == Node::Kind::kLess;
      each([&](const RseView& r) {
        const std::string* v = attribute(r);
        if (!v) return false;
        auto n = Number(*v);
        return n && (less ? *n < limit : *n > limit);
      });
      break;
    }
    case Node::Kind::kUnion: {
      out = Eval(*node.left, rses);
      auto r = Eval(*node.right, rses);
      out.insert(r.begin(), r.end());
      break;
    }
    case Node::Kind::kIntersection: {
      auto l = Eval(*node.left, rses);
      auto r = Eval(*node.right, rses);
      for (size_t i : l) {
        if (r.count(i)) out.insert(i);
      }
      break;
    }
    case Node::Kind::kDifference: {
      out = Eval(*node.left, rses);
      for (size_t i : Eval(*node.right, rses)) out.erase(i);
      break;
    }
  }
  return out;
}

}  // namespace

Result<RseExpression> RseExpression::Parse(std::string_view text) {
  Parser parser(text);
  GANTRY_ASSIGN_OR_RETURN(NodePtr root, parser.Parse());
  RseExpression e;
  e.text_ = std::string(text);
  e.root_ = std::move(root);
  return e;
}

std::vector<std::string> RseExpression::Select(std::span<const RseView> rses) const {
  std::vector<std::string> names;
  for (size_t i : Eval(*root_, rses)) names.push_back(rses[i].name);
  return names;
}

}  // namespace gantry::catalog
