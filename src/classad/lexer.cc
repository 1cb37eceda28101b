#include "classad/lexer.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cctype>

namespace gantry::classad {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Longest first, so ">>>" wins over ">>" and ">".
constexpr std::string_view kPuncts[] = {
    ">>>", "=?=", "=!=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*",
    "/",   "%",   "<",   ">",  "=",  "!",  "~",  "&",  "|",  "^",  "?",  ":", "(", ")",
    "[",   "]",   "{",   "}",  ",",  ";",  ".",
};

}  // namespace

void Lexer::Advance(size_t n) {
  for (size_t i = 0; i < n && pos_ < text_.size(); ++i) {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
}

void Lexer::SkipSpaceAndComments(Token& error_out) {
  while (pos_ < text_.size()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      Advance();
    } else if (c == '/' && Peek(1) == '/') {
      while (pos_ < text_.size() && Peek() != '\n') Advance();
    } else if (c == '/' && Peek(1) == '*') {
      uint32_t line = line_, column = column_;
      Advance(2);
      while (pos_ < text_.size() && !(Peek() == '*' && Peek(1) == '/')) Advance();
      if (pos_ >= text_.size()) {
        error_out.type = Tok::kInvalid;
        error_out.line = line;
        error_out.column = column;
        error_out.error = "unterminated /* comment";
        return;
      }
      Advance(2);
    } else {
      return;
    }
  }
}

Token Lexer::Next() {
  Token t;
  SkipSpaceAndComments(t);
  if (t.type == Tok::kInvalid) return t;
  t.line = line_;
  t.column = column_;
  if (pos_ >= text_.size()) return t;
  char c = Peek();
  if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(std::move(t));
  if (c == '"') return QuotedString(std::move(t), '"');
  if (c == '\'') return QuotedString(std::move(t), '\'');
  if (IsIdentStart(c)) {
    size_t start = pos_;
    while (pos_ < text_.size() && IsIdentChar(Peek())) Advance();
    t.text = text_.substr(start, pos_ - start);
    t.type = Tok::kIdentifier;
    if (EqualsNoCase(t.text, "true")) {
      t.type = Tok::kTrue;
    } else if (EqualsNoCase(t.text, "false")) {
      t.type = Tok::kFalse;
    } else if (EqualsNoCase(t.text, "undefined")) {
      t.type = Tok::kUndefined;
    } else if (EqualsNoCase(t.text, "error")) {
      t.type = Tok::kError;
    } else if (EqualsNoCase(t.text, "is")) {
      t.type = Tok::kPunct;
      t.text = "=?=";
    } else if (EqualsNoCase(t.text, "isnt")) {
      t.type = Tok::kPunct;
      t.text = "=!=";
    } else {
      t.text_value = std::string(t.text);
    }
    return t;
  }
  for (std::string_view p : kPuncts) {
    if (text_.substr(pos_, p.size()) == p) {
      t.type = Tok::kPunct;
      t.text = text_.substr(pos_, p.size());
      Advance(p.size());
      return t;
    }
  }
  t.type = Tok::kInvalid;
  unsigned char uc = static_cast<unsigned char>(c);
  if (uc >= 0x20 && uc < 0x7f) {
    t.error = std::string("unexpected character '") + c + "'";
  } else {
    static constexpr char kHex[] = "0123456789abcdef";
    t.error = std::string("unexpected byte 0x") + kHex[uc >> 4] + kHex[uc & 15];
  }
  return t;
}

Token Lexer::Number(Token t) {
  size_t start = pos_;
  bool is_real = false;
  bool hex = false;
  if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
    hex = true;
    Advance(2);
    while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(Peek()))) Advance();
  } else {
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.' && !IsIdentStart(Peek(1))) {
      is_real = true;
      Advance();
      while (IsDigit(Peek())) Advance();
    }
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      is_real = true;
      Advance(2);
      while (IsDigit(Peek())) Advance();
    }
  }
  t.text = text_.substr(start, pos_ - start);
  if (IsIdentChar(Peek())) {
    t.type = Tok::kInvalid;
    t.error = "malformed number '" + std::string(t.text) + Peek() + "'";
    return t;
  }
  if (is_real) {
    std::string copy(t.text);
    errno = 0;
    t.real = std::strtod(copy.c_str(), nullptr);
    t.type = Tok::kReal;
    if (errno == ERANGE && (t.real > 1.0 || t.real < -1.0)) {
      t.type = Tok::kInvalid;
      t.error = "real literal out of range: " + copy;
    }
    return t;
  }
  std::string_view digits = hex ? t.text.substr(2) : t.text;
  int base = hex ? 16 : 10;
  // HTCondor reads a leading 0 as octal.
  if (!hex && digits.size() > 1 && digits[0] == '0') {
    base = 8;
    digits = digits.substr(1);
  }
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t.integer, base);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) {
    t.type = Tok::kInvalid;
    t.error = ec == std::errc::result_out_of_range
                  ? "integer literal out of range: " + std::string(t.text)
                  : "malformed number '" + std::string(t.text) + "'";
    return t;
  }
  t.type = Tok::kInteger;
  return t;
}

Token Lexer::QuotedString(Token t, char quote) {
  size_t start = pos_;
  Advance();
  std::string out;
  while (true) {
    if (pos_ >= text_.size()) {
      t.type = Tok::kInvalid;
      t.error = quote == '"' ? "unterminated string" : "unterminated quoted attribute name";
      return t;
    }
    char c = Peek();
    if (c == quote) {
      Advance();
      break;
    }
    if (c != '\\') {
      out.push_back(c);
      Advance();
      continue;
    }
    char e = Peek(1);
    Advance(2);
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'v': out.push_back('\v'); break;
      case 'a': out.push_back('\a'); break;
      case '\\': out.push_back('\\'); break;
      case '"': out.push_back('"'); break;
      case '\'': out.push_back('\''); break;
      case '?': out.push_back('?'); break;
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          // Up to three octal digits, at most \377.
          for (int i = 0; i < 2 && Peek() >= '0' && Peek() <= '7' && v * 8 + (Peek() - '0') < 256;
               ++i) {
            v = v * 8 + (Peek() - '0');
            Advance();
          }
          out.push_back(static_cast<char>(v));
        } else {
          t.type = Tok::kInvalid;
          t.error = "bad escape sequence in string";
          return t;
        }
    }
  }
  t.text = text_.substr(start, pos_ - start);
  t.text_value = std::move(out);
  t.type = quote == '"' ? Tok::kString : Tok::kIdentifier;
  return t;
}

}  // namespace gantry::classad
