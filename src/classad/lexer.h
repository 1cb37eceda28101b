// Lexer: splits ClassAd text into tokens with line:column positions. Pure and
// thread-compatible; one Lexer reads one text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gantry::classad {

enum class Tok : uint8_t {
  kEnd,
  kInvalid,  // `error` says why
  kInteger,
  kReal,
  kString,       // "..." (decoded into `text_value`)
  kIdentifier,   // name, or 'quoted name' (decoded into `text_value`)
  kTrue,
  kFalse,
  kUndefined,
  kError,
  kPunct,  // operators and punctuation: `text` holds the spelling
};

struct Token {
  Tok type = Tok::kEnd;
  std::string_view text;   // the source spelling
  std::string text_value;  // decoded string or identifier
  int64_t integer = 0;
  double real = 0;
  uint32_t line = 1;
  uint32_t column = 1;
  std::string error;  // kInvalid only
  bool Is(std::string_view punct) const { return type == Tok::kPunct && text == punct; }
};

class Lexer {
 public:
  explicit Lexer(std::string_view text, uint32_t first_line = 1)
      : text_(text), line_(first_line) {}

  // Returns the next token; kEnd at the end, kInvalid on a lexical error.
  Token Next();
  // Position of the next unread character.
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }
  bool AtEnd() const { return pos_ >= text_.size(); }

 private:
  void SkipSpaceAndComments(Token& error_out);
  Token Number(Token t);
  Token QuotedString(Token t, char quote);
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void Advance(size_t n = 1);

  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_;
  uint32_t column_ = 1;
};

}  // namespace gantry::classad
