#include "classad/unparse.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace gantry::classad {
namespace {

constexpr int kPrimaryLevel = 12;
constexpr int kUnaryLevel = 11;

int BinaryLevel(Op op) {
  switch (op) {
    case Op::kOr: return 1;
    case Op::kAnd: return 2;
    case Op::kBitOr: return 3;
    case Op::kBitXor: return 4;
    case Op::kBitAnd: return 5;
    case Op::kEq: case Op::kNe: case Op::kMetaEq: case Op::kMetaNe: return 6;
    case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: return 7;
    case Op::kShl: case Op::kShr: case Op::kUshr: return 8;
    case Op::kAdd: case Op::kSub: return 9;
    case Op::kMul: case Op::kDiv: case Op::kMod: return 10;
    case Op::kElvis: return 0;
    default: return kUnaryLevel;
  }
}

std::string_view OpText(Op op) {
  switch (op) {
    case Op::kOr: return "||";
    case Op::kAnd: return "&&";
    case Op::kBitOr: return "|";
    case Op::kBitXor: return "^";
    case Op::kBitAnd: return "&";
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kMetaEq: return "=?=";
    case Op::kMetaNe: return "=!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kShl: return "<<";
    case Op::kShr: return ">>";
    case Op::kUshr: return ">>>";
    case Op::kAdd: return "+";
    case Op::kSub: return "-";
    case Op::kMul: return "*";
    case Op::kDiv: return "/";
    case Op::kMod: return "%";
    case Op::kElvis: return "?:";
    case Op::kNeg: return "-";
    case Op::kPlus: return "+";
    case Op::kNot: return "!";
    case Op::kBitNot: return "~";
    case Op::kNone: return "";
  }
  return "";
}

int Level(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kTernary: return 0;
    case ExprKind::kBinary: return BinaryLevel(e.op);
    case ExprKind::kUnary: return kUnaryLevel;
    case ExprKind::kLiteral:
      if ((e.value.IsInteger() && e.value.integer() < 0) ||
          (e.value.IsReal() && std::signbit(e.value.real()))) {
        return kUnaryLevel;
      }
      return kPrimaryLevel;
    default: return kPrimaryLevel;
  }
}

void AppendChild(std::string& out, const Expr& child, int min_level) {
  if (Level(child) < min_level) {
    out += '(';
    AppendExpr(out, child);
    out += ')';
  } else {
    AppendExpr(out, child);
  }
}

void AppendReal(std::string& out, double r) {
  if (std::isnan(r)) {
    out += "real(\"NaN\")";
    return;
  }
  if (std::isinf(r)) {
    out += r < 0 ? "-real(\"INF\")" : "real(\"INF\")";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), r);
  std::string_view s(buf, end - buf);
  out += s;
  if (s.find_first_of(".e") == std::string_view::npos) out += ".0";
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  std::string lower = LowerName(name);
  return lower != "true" && lower != "false" && lower != "undefined" && lower != "error" &&
         lower != "is" && lower != "isnt";
}

void AppendQuoted(std::string& out, std::string_view s, char quote) {
  out += quote;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c == quote) {
          out += '\\';
          out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          unsigned char u = static_cast<unsigned char>(c);
          out += '\\';
          out += static_cast<char>('0' + (u >> 6));
          out += static_cast<char>('0' + ((u >> 3) & 7));
          out += static_cast<char>('0' + (u & 7));
        } else {
          out += c;
        }
    }
  }
  out += quote;
}

void AppendAdBody(std::string& out, const ClassAd& ad) {
  if (ad.empty()) {
    out += "[ ]";
    return;
  }
  out += "[ ";
  bool first = true;
  for (const ClassAd::Attribute& a : ad.attributes()) {
    if (!first) out += "; ";
    first = false;
    out += QuoteName(a.name);
    out += " = ";
    AppendExpr(out, *a.expr);
  }
  out += " ]";
}

}  // namespace

std::string QuoteString(std::string_view s) {
  std::string out;
  AppendQuoted(out, s, '"');
  return out;
}

std::string QuoteName(std::string_view name) {
  if (IsPlainIdentifier(name)) return std::string(name);
  std::string out;
  AppendQuoted(out, name, '\'');
  return out;
}

void AppendValue(std::string& out, const Value& v) {
  switch (v.type()) {
    case ValueType::kUndefined: out += "undefined"; return;
    case ValueType::kError: out += "error"; return;
    case ValueType::kBoolean: out += v.boolean() ? "true" : "false"; return;
    case ValueType::kInteger:
      // INT64_MIN has no literal of its own (the literal would overflow before negation).
      if (v.integer() == INT64_MIN) {
        out += "(-9223372036854775807 - 1)";
      } else {
        out += std::to_string(v.integer());
      }
      return;
    case ValueType::kReal: AppendReal(out, v.real()); return;
    case ValueType::kString: AppendQuoted(out, v.string(), '"'); return;
    case ValueType::kList: {
      if (v.list().empty()) {
        out += "{ }";
        return;
      }
      out += "{ ";
      bool first = true;
      for (const Value& item : v.list()) {
        if (!first) out += ", ";
        first = false;
        AppendValue(out, item);
      }
      out += " }";
      return;
    }
    case ValueType::kClassAd: AppendAdBody(out, v.ad()); return;
  }
}

void AppendExpr(std::string& out, const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral: AppendValue(out, e.value); return;
    case ExprKind::kAttribute:
      if (e.absolute) out += '.';
      out += QuoteName(e.name);
      return;
    case ExprKind::kSelect:
      AppendChild(out, *e.children[0], kPrimaryLevel);
      out += '.';
      out += QuoteName(e.name);
      return;
    case ExprKind::kSubscript:
      AppendChild(out, *e.children[0], kPrimaryLevel);
      out += '[';
      AppendExpr(out, *e.children[1]);
      out += ']';
      return;
    case ExprKind::kUnary:
      out += OpText(e.op);
      AppendChild(out, *e.children[0], kUnaryLevel);
      return;
    case ExprKind::kBinary: {
      int level = BinaryLevel(e.op);
      AppendChild(out, *e.children[0], e.op == Op::kElvis ? 1 : level);
      out += ' ';
      out += OpText(e.op);
      out += ' ';
      AppendChild(out, *e.children[1], e.op == Op::kElvis ? 0 : level + 1);
      return;
    }
    case ExprKind::kTernary:
      AppendChild(out, *e.children[0], 1);
      out += " ? ";
      AppendExpr(out, *e.children[1]);
      out += " : ";
      AppendExpr(out, *e.children[2]);
      return;
    case ExprKind::kCall: {
      out += e.name;
      out += '(';
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) out += ", ";
        AppendExpr(out, *e.children[i]);
      }
      out += ')';
      return;
    }
    case ExprKind::kList: {
      if (e.children.empty()) {
        out += "{ }";
        return;
      }
      out += "{ ";
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) out += ", ";
        AppendExpr(out, *e.children[i]);
      }
      out += " }";
      return;
    }
    case ExprKind::kClassAd: AppendAdBody(out, *e.ad); return;
    case ExprKind::kParen:
      out += '(';
      AppendExpr(out, *e.children[0]);
      out += ')';
      return;
  }
}

std::string Unparse(const Value& value) {
  std::string out;
  AppendValue(out, value);
  return out;
}

std::string Unparse(const Expr& expr) {
  std::string out;
  AppendExpr(out, expr);
  return out;
}

std::string UnparseClassAd(const ClassAd& ad) {
  std::string out;
  AppendAdBody(out, ad);
  return out;
}

std::string UnparseOldClassAd(const ClassAd& ad) {
  std::string out;
  for (const ClassAd::Attribute& a : ad.attributes()) {
    out += QuoteName(a.name);
    out += " = ";
    AppendExpr(out, *a.expr);
    out += '\n';
  }
  return out;
}

}  // namespace gantry::classad
