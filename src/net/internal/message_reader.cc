#include "net/internal/message_reader.h"

#include <algorithm>

#include "base/strings.h"

namespace gantry::net::internal {
namespace {

// A chunk-size line longer than this is garbage, not a size.
constexpr size_t kMaxChunkSizeLine = 1024;
// Compact the buffer during a long chunked body once this much has been consumed.
constexpr size_t kCompactThreshold = 1 << 20;

std::unexpected<ParseError> Bad(int status, std::string message) {
  return std::unexpected(ParseError{status, std::move(message)});
}

bool IsTokenChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::expected<std::pair<std::string, std::string>, ParseError> ParseField(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') {
    return Bad(400, "obsolete header line folding is not supported");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Bad(400, "malformed header line (expected 'Name: value')");
  }
  std::string_view name = line.substr(0, colon);
  for (char c : name) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) {
      return Bad(400, "invalid character in header name '" + std::string(name) + "'");
    }
  }
  std::string_view value = TrimOws(line.substr(colon + 1));
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) {
      return Bad(400, "control character in value of header '" + std::string(name) + "'");
    }
  }
  return std::pair(ToLower(name), std::string(value));
}

}  // namespace

ParseResult<MessageHead> MessageReader::ReadHead() {
  if (!head_started_) {
    // RFC 9112 2.2: ignore blank lines before a start line (left over from a previous body).
    while (pos_ < buffer_.size()) {
      if (buffer_[pos_] == '\n') {
        ++pos_;
      } else if (buffer_[pos_] == '\r') {
        if (pos_ + 1 >= buffer_.size()) return std::nullopt;
        if (buffer_[pos_ + 1] != '\n') break;
        pos_ += 2;
      } else {
        break;
      }
    }
    if (pos_ >= buffer_.size()) {
      Compact();
      return std::nullopt;
    }
    head_started_ = true;
    head_scan_ = line_start_ = pos_;
  }
  size_t head_end = 0;
  while (true) {
    size_t newline = buffer_.find('\n', head_scan_);
    if (newline == std::string::npos) {
      head_scan_ = buffer_.size();
      if (buffer_.size() - pos_ > limits_.max_header_bytes) {
        return Bad(431, "header section exceeds the limit of " +
                            std::to_string(limits_.max_header_bytes) + " bytes");
      }
      return std::nullopt;
    }
    if (newline + 1 - pos_ > limits_.max_header_bytes) {
      return Bad(431, "header section exceeds the limit of " +
                          std::to_string(limits_.max_header_bytes) + " bytes");
    }
    std::string_view line(buffer_.data() + line_start_, newline - line_start_);
    head_scan_ = line_start_ = newline + 1;
    if (StripCr(line).empty()) {
      head_end = newline + 1;
      break;
    }
  }
  MessageHead head;
  std::string_view text(buffer_.data() + pos_, head_end - pos_);
  bool first = true;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = StripCr(text.substr(0, newline));
    text.remove_prefix(newline + 1);
    if (line.empty()) break;
    if (first) {
      head.start_line = std::string(line);
      first = false;
      continue;
    }
    auto field = ParseField(line);
    if (!field) return std::unexpected(field.error());
    head.fields.push_back(*std::move(field));
  }
  pos_ = head_end;
  head_started_ = false;
  return head;
}

void MessageReader::BeginBody(BodyFraming framing, size_t length) {
  in_body_ = true;
  framing_ = framing;
  remaining_ = length;
  chunk_state_ = ChunkState::kSize;
  body_.clear();
  if (framing == BodyFraming::kLength) buffer_.reserve(pos_ + length);
}

ParseResult<std::string> MessageReader::ReadBody() {
  switch (framing_) {
    case BodyFraming::kNone:
      in_body_ = false;
      return std::string();
    case BodyFraming::kLength: {
      if (buffer_.size() - pos_ < remaining_) return std::nullopt;
      std::string body = buffer_.substr(pos_, remaining_);
      pos_ += remaining_;
      in_body_ = false;
      Compact();
      return body;
    }
    case BodyFraming::kChunked:
      return ReadChunked();
    case BodyFraming::kUntilClose:
      if (buffer_.size() - pos_ > limits_.max_body_bytes) {
        return Bad(
            413, "body exceeds the limit of " + std::to_string(limits_.max_body_bytes) + " bytes");
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::string MessageReader::TakeUntilCloseBody() {
  std::string body = buffer_.substr(pos_);
  pos_ = buffer_.size();
  in_body_ = false;
  Compact();
  return body;
}

std::optional<std::pair<std::string_view, size_t>> MessageReader::PeekLine() const {
  size_t newline = buffer_.find('\n', pos_);
  if (newline == std::string::npos) return std::nullopt;
  std::string_view line(buffer_.data() + pos_, newline - pos_);
  return std::pair(StripCr(line), newline + 1 - pos_);
}

ParseResult<std::string> MessageReader::ReadChunked() {
  while (true) {
    switch (chunk_state_) {
      case ChunkState::kSize: {
        // A complete line is held to the limit as an unfinished one is, so the verdict does
        // not depend on how the bytes arrived (found by fuzz/http).
        auto line = PeekLine();
        size_t seen = line ? line->second : buffer_.size() - pos_;
        if (seen > kMaxChunkSizeLine) return Bad(400, "chunk size line too long");
        if (!line) return std::nullopt;
        std::string_view text = line->first;
        size_t size = 0;
        size_t digits = 0;
        for (; digits < text.size(); ++digits) {
          char c = text[digits];
          int value = (c >= '0' && c <= '9')   ? c - '0'
                      : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                      : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                               : -1;
          if (value < 0) break;
          if (digits >= 15) return Bad(413, "chunk size too large");
          size = size * 16 + static_cast<size_t>(value);
        }
        std::string_view rest = TrimOws(text.substr(digits));
        if (digits == 0 || (!rest.empty() && rest.front() != ';')) {
          return Bad(400, "malformed chunk size line");
        }
        if (size > limits_.max_body_bytes - body_.size()) {
          return Bad(413, "body exceeds the limit of " + std::to_string(limits_.max_body_bytes) +
                              " bytes");
        }
        pos_ += line->second;
        remaining_ = size;
        chunk_state_ = size == 0 ? ChunkState::kTrailer : ChunkState::kData;
        trailer_bytes_ = 0;
        break;
      }
      case ChunkState::kData: {
        size_t n = std::min(remaining_, buffer_.size() - pos_);
        body_.append(buffer_, pos_, n);
        pos_ += n;
        remaining_ -= n;
        if (remaining_ > 0) {
          if (pos_ > kCompactThreshold) Compact();
          return std::nullopt;
        }
        chunk_state_ = ChunkState::kDataEnd;
        break;
      }
      case ChunkState::kDataEnd: {
        auto line = PeekLine();
        if (!line) {
          if (buffer_.size() - pos_ > 2) return Bad(400, "chunk data not followed by CRLF");
          return std::nullopt;
        }
        if (!line->first.empty()) return Bad(400, "chunk data not followed by CRLF");
        pos_ += line->second;
        chunk_state_ = ChunkState::kSize;
        break;
      }
      case ChunkState::kTrailer: {
        // The whole trailer section is held to the header limit, complete lines and the
        // unfinished one alike, so the verdict does not depend on how the bytes arrived
        // (found by fuzz/http: a long trailer line passed whole and was refused in pieces).
        auto line = PeekLine();
        size_t seen = line ? line->second : buffer_.size() - pos_;
        if (trailer_bytes_ + seen > limits_.max_header_bytes) {
          return Bad(431, "chunked trailer too large");
        }
        if (!line) return std::nullopt;
        trailer_bytes_ += line->second;
        pos_ += line->second;
        if (!line->first.empty()) break;  // trailer fields are read and dropped
        in_body_ = false;
        chunk_state_ = ChunkState::kSize;
        std::string body = std::move(body_);
        body_.clear();
        Compact();
        return body;
      }
    }
  }
}

void MessageReader::Compact() {
  if (pos_ == 0 || head_started_) return;
  buffer_.erase(0, pos_);
  pos_ = 0;
  head_scan_ = line_start_ = 0;
}

std::vector<std::string> HeaderTokens(std::string_view value) {
  std::vector<std::string> out;
  for (const std::string& part : Split(value, ',')) {
    std::string_view token = TrimOws(part);
    if (!token.empty()) out.push_back(ToLower(token));
  }
  return out;
}

std::map<std::string, std::string> FieldMap(const MessageHead& head) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : head.fields) {
    auto [it, inserted] = out.emplace(name, value);
    if (!inserted) {
      it->second += ", ";
      it->second += value;
    }
  }
  return out;
}

std::expected<std::pair<BodyFraming, size_t>, ParseError> FramingFromFields(
    const std::map<std::string, std::string>& fields, const ParseLimits& limits,
    int too_large_status) {
  auto te = fields.find("transfer-encoding");
  auto cl = fields.find("content-length");
  if (te != fields.end()) {
    if (cl != fields.end()) {
      return Bad(400, "message has both Transfer-Encoding and Content-Length");
    }
    if (HeaderTokens(te->second) != std::vector<std::string>{"chunked"}) {
      return Bad(501, "Transfer-Encoding '" + te->second + "' is not supported (only chunked)");
    }
    return std::pair(BodyFraming::kChunked, size_t{0});
  }
  if (cl == fields.end()) return std::pair(BodyFraming::kUntilClose, size_t{0});
  std::vector<std::string> parts = Split(cl->second, ',');
  std::string_view digits = TrimOws(parts.front());
  for (const std::string& part : parts) {
    if (TrimOws(part) != digits) return Bad(400, "conflicting Content-Length values");
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Bad(400, "malformed Content-Length '" + cl->second + "'");
  }
  size_t length = 0;
  for (char c : digits) {
    auto digit = static_cast<size_t>(c - '0');
    bool too_large = length > limits.max_body_bytes / 10;
    if (!too_large) {
      length *= 10;
      too_large = digit > limits.max_body_bytes - length;
    }
    if (too_large) {
      return Bad(too_large_status, "body of " + std::string(digits) +
                                       " bytes exceeds the limit of " +
                                       std::to_string(limits.max_body_bytes) + " bytes");
    }
    length += digit;
  }
  return std::pair(BodyFraming::kLength, length);
}

}  // namespace gantry::net::internal
