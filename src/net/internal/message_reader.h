// MessageReader: the framing core shared by RequestParser and ResponseParser. It buffers
// bytes, cuts out one message head (start line + header fields) and then one body framed
// by length, by chunks, or by end of stream. Sans-I/O. Thread-compatible.
// Internal to net: other modules must not include this.
#pragma once

#include <cstddef>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_parser.h"

namespace gantry::net::internal {

struct MessageHead {
  std::string start_line;
  std::vector<std::pair<std::string, std::string>> fields;  // lower-case names, in order
};

enum class BodyFraming { kNone, kLength, kChunked, kUntilClose };

template <typename T>
using ParseResult = std::expected<std::optional<T>, ParseError>;

class MessageReader {
 public:
  explicit MessageReader(ParseLimits limits) : limits_(limits) {}

  void Feed(std::string_view bytes) { buffer_.append(bytes); }

  // The next head once its blank line has arrived; blank lines before it are skipped.
  ParseResult<MessageHead> ReadHead();
  // Sets how the body after the last head is framed (length only for kLength).
  void BeginBody(BodyFraming framing, size_t length = 0);
  // The body once complete.
  ParseResult<std::string> ReadBody();
  // At end of stream: the body of a kUntilClose message (whatever arrived).
  std::string TakeUntilCloseBody();

  // Bytes of an unfinished message are buffered (or a body is in progress).
  bool InMessage() const { return in_body_ || pos_ < buffer_.size(); }
  const ParseLimits& limits() const { return limits_; }

 private:
  enum class ChunkState { kSize, kData, kDataEnd, kTrailer };

  ParseResult<std::string> ReadChunked();
  // The line at pos_ without its CR LF (or LF), and the bytes it spans; nullopt if incomplete.
  std::optional<std::pair<std::string_view, size_t>> PeekLine() const;
  void Compact();

  ParseLimits limits_;
  std::string buffer_;
  size_t pos_ = 0;             // consumed prefix of buffer_
  bool head_started_ = false;  // a non-blank byte of the next head has been seen
  size_t head_scan_ = 0;       // where the search for the end of the head resumes
  size_t line_start_ = 0;      // start of the head line being scanned
  bool in_body_ = false;
  BodyFraming framing_ = BodyFraming::kNone;
  size_t remaining_ = 0;  // kLength: body bytes; kChunked kData: bytes left in this chunk
  ChunkState chunk_state_ = ChunkState::kSize;
  size_t trailer_bytes_ = 0;  // kChunked kTrailer: trailer bytes consumed so far
  std::string body_;  // chunked body so far
};

// Splits "a, b,c" into trimmed lower-case tokens.
std::vector<std::string> HeaderTokens(std::string_view value);
// Joins repeated fields with ", " into a map with lower-case keys.
std::map<std::string, std::string> FieldMap(const MessageHead& head);
// Decides length/chunked framing from Transfer-Encoding / Content-Length. Returns
// kUntilClose if neither is present; the caller decides what that means.
std::expected<std::pair<BodyFraming, size_t>, ParseError> FramingFromFields(
    const std::map<std::string, std::string>& fields, const ParseLimits& limits,
    int too_large_status);

}  // namespace gantry::net::internal
