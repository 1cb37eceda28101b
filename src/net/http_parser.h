// Sans-I/O HTTP/1.1 parsers: feed bytes as they arrive, take complete messages out.
// They never touch a socket, so the server, the client and the tests drive them alike.
// Framing rules and limits are written down in docs/http.md. Thread-compatible.
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"

namespace gantry::net {

namespace internal {
class MessageReader;
}

struct ParseLimits {
  size_t max_header_bytes = 64 * 1024;       // start line + fields + blank line
  size_t max_body_bytes = 64 * 1024 * 1024;  // after de-chunking
};

// Why bytes are not a valid message. `status` is what a server answers: 400 malformed,
// 413 body too large, 431 head too large, 501 unsupported transfer coding, 505 version.
struct ParseError {
  int status;
  std::string message;
};

struct ParsedRequest {
  HttpRequest request;  // peer left empty: the connection fills it in
  bool keep_alive;      // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only if asked
};

struct ParsedResponse {
  HttpResponse response;  // every received header, lower-case names, in order
  bool keep_alive;        // false if the server said close or framed the body by EOF
};

// Parses a stream of (possibly pipelined) requests.
class RequestParser {
 public:
  explicit RequestParser(ParseLimits limits = {});
  ~RequestParser();
  RequestParser(RequestParser&&) noexcept;
  RequestParser& operator=(RequestParser&&) noexcept;

  void Feed(std::string_view bytes);
  // The next complete request; nullopt if more bytes are needed. After an error the parser
  // stays failed: the stream cannot be resynchronised, so answer and close.
  std::expected<std::optional<ParsedRequest>, ParseError> Next();
  // True exactly once per request whose head said "Expect: 100-continue" while its body is
  // still to come: the server should then send "100 Continue".
  bool TakeContinueRequest();
  // Some bytes of an unfinished request are buffered.
  bool InMessage() const;

 private:
  std::unique_ptr<internal::MessageReader> reader_;
  std::optional<ParsedRequest> current_;  // head parsed, body pending
  std::optional<ParseError> error_;
  bool continue_pending_ = false;
};

// Parses the responses on one client connection, in order.
class ResponseParser {
 public:
  explicit ResponseParser(ParseLimits limits = {});
  ~ResponseParser();
  ResponseParser(ResponseParser&&) noexcept;
  ResponseParser& operator=(ResponseParser&&) noexcept;

  // The method of the request the next response answers: a response to HEAD has no body.
  void ExpectResponseTo(std::string_view method);
  void Feed(std::string_view bytes);
  // The next complete final response (1xx interim responses are skipped); nullopt if more
  // bytes are needed. Errors are sticky.
  std::expected<std::optional<ParsedResponse>, ParseError> Next();
  // Call at end of stream: completes a body framed by EOF; an error if a message was cut
  // short; nullopt if nothing was pending.
  std::expected<std::optional<ParsedResponse>, ParseError> Finish();
  // Some bytes of an unfinished response are buffered.
  bool InMessage() const;

 private:
  std::unique_ptr<internal::MessageReader> reader_;
  std::optional<ParsedResponse> current_;
  std::optional<ParseError> error_;
  bool head_request_ = false;
  bool until_close_ = false;
};

}  // namespace gantry::net
