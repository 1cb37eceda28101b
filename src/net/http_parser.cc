#include "net/http_parser.h"

#include <algorithm>

#include "base/strings.h"
#include "net/internal/message_reader.h"
#include "net/url.h"

namespace gantry::net {
namespace {

using internal::BodyFraming;
using internal::HeaderTokens;

std::unexpected<ParseError> Bad(int status, std::string message) {
  return std::unexpected(ParseError{status, std::move(message)});
}

bool HasToken(const std::map<std::string, std::string>& fields, const std::string& name,
              std::string_view token) {
  auto it = fields.find(name);
  if (it == fields.end()) return false;
  std::vector<std::string> tokens = HeaderTokens(it->second);
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

// "HTTP/1.1" -> 1, "HTTP/1.0" -> 0; 505 for another well-formed version, 400 otherwise.
std::expected<int, ParseError> ParseVersion(std::string_view version) {
  if (version == "HTTP/1.1") return 1;
  if (version == "HTTP/1.0") return 0;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.size() == 8 && version.starts_with("HTTP/") && is_digit(version[5]) &&
      version[6] == '.' && is_digit(version[7])) {
    return Bad(
        505, "HTTP version " + std::string(version.substr(5)) + " is not supported (use HTTP/1.1)");
  }
  return Bad(400, "malformed HTTP version");
}

bool KeepAlive(int minor_version, const std::map<std::string, std::string>& fields) {
  if (HasToken(fields, "connection", "close")) return false;
  return minor_version >= 1 || HasToken(fields, "connection", "keep-alive");
}

// Fills method, path and query from "GET /a/b?x=1 HTTP/1.1".
std::expected<int, ParseError> ParseRequestLine(std::string_view line, HttpRequest& request) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Bad(400, "malformed request line (expected 'METHOD /path HTTP/1.1')");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (method.empty() || target.empty()) return Bad(400, "malformed request line");
  for (char c : method) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
      return Bad(400, "malformed request method");
    }
  }
  for (char c : target) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return Bad(400, "control character in request target");
  }
  auto minor = ParseVersion(line.substr(sp2 + 1));
  if (!minor) return minor;
  if (target.starts_with("http://") || target.starts_with("https://")) {
    // Absolute form (RFC 9112 3.2.2): keep only the path and query.
    size_t authority = target.find("//") + 2;
    size_t slash = target.find_first_of("/?", authority);
    target = slash == std::string_view::npos ? "/" : target.substr(slash);
    if (target.front() == '?') return Bad(400, "request target has a query but no path");
  } else if (target.front() != '/' && !(target == "*" && method == "OPTIONS")) {
    return Bad(400, "request target must start with '/'");
  }
  size_t question = target.find('?');
  request.method = std::string(method);
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    auto query = ParseQuery(target.substr(question + 1));
    if (!query) return Bad(400, query.error().message());
    request.query = *std::move(query);
  }
  return minor;
}

}  // namespace

RequestParser::RequestParser(ParseLimits limits)
    : reader_(std::make_unique<internal::MessageReader>(limits)) {}
RequestParser::~RequestParser() = default;
RequestParser::RequestParser(RequestParser&&) noexcept = default;
RequestParser& RequestParser::operator=(RequestParser&&) noexcept = default;

void RequestParser::Feed(std::string_view bytes) { reader_->Feed(bytes); }

bool RequestParser::InMessage() const { return current_.has_value() || reader_->InMessage(); }

bool RequestParser::TakeContinueRequest() { return std::exchange(continue_pending_, false); }

std::expected<std::optional<ParsedRequest>, ParseError> RequestParser::Next() {
  if (error_) return std::unexpected(*error_);
  auto fail = [this](ParseError error) {
    error_ = error;
    return std::unexpected(std::move(error));
  };
  if (!current_) {
    auto head = reader_->ReadHead();
    if (!head) return fail(head.error());
    if (!*head) return std::nullopt;
    ParsedRequest parsed{.request = {}, .keep_alive = false};
    auto minor = ParseRequestLine((*head)->start_line, parsed.request);
    if (!minor) return fail(minor.error());
    parsed.request.headers = internal::FieldMap(**head);
    const auto& fields = parsed.request.headers;
    parsed.keep_alive = KeepAlive(*minor, fields);
    auto framing = internal::FramingFromFields(fields, reader_->limits(), 413);
    if (!framing) return fail(framing.error());
    // A request without Content-Length or chunked coding has no body (RFC 9112 6.3).
    if (framing->first == BodyFraming::kUntilClose) framing->first = BodyFraming::kNone;
    reader_->BeginBody(framing->first, framing->second);
    bool has_body = framing->first == BodyFraming::kChunked || framing->second > 0;
    continue_pending_ = *minor >= 1 && has_body && HasToken(fields, "expect", "100-continue");
    current_ = std::move(parsed);
  }
  auto body = reader_->ReadBody();
  if (!body) return fail(body.error());
  if (!*body) return std::nullopt;
  continue_pending_ = false;
  current_->request.body = **std::move(body);
  return std::exchange(current_, std::nullopt);
}

ResponseParser::ResponseParser(ParseLimits limits)
    : reader_(std::make_unique<internal::MessageReader>(limits)) {}
ResponseParser::~ResponseParser() = default;
ResponseParser::ResponseParser(ResponseParser&&) noexcept = default;
ResponseParser& ResponseParser::operator=(ResponseParser&&) noexcept = default;

void ResponseParser::ExpectResponseTo(std::string_view method) { head_request_ = method == "HEAD"; }

void ResponseParser::Feed(std::string_view bytes) { reader_->Feed(bytes); }

bool ResponseParser::InMessage() const { return current_.has_value() || reader_->InMessage(); }

std::expected<std::optional<ParsedResponse>, ParseError> ResponseParser::Next() {
  if (error_) return std::unexpected(*error_);
  auto fail = [this](ParseError error) {
    error_ = error;
    return std::unexpected(std::move(error));
  };
  while (!current_) {
    auto head = reader_->ReadHead();
    if (!head) return fail(head.error());
    if (!*head) return std::nullopt;
    std::string_view line = (*head)->start_line;
    // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing.
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return fail({400, "malformed status line"});
    auto minor = ParseVersion(line.substr(0, sp));
    if (!minor) return fail(minor.error());
    std::string_view code = line.substr(sp + 1, 3);
    std::optional<int64_t> status = ParseInt(code);
    if (code.size() != 3 || !status || *status < 100 || *status > 999 ||
        (line.size() > sp + 4 && line[sp + 4] != ' ')) {
      return fail({400, "malformed status code in '" + std::string(line) + "'"});
    }
    if (*status < 200) continue;  // interim response (100 Continue): no body, keep reading
    ParsedResponse parsed{.response = {}, .keep_alive = false};
    parsed.response.status = static_cast<int>(*status);
    parsed.response.content_type.clear();
    auto fields = internal::FieldMap(**head);
    for (auto& field : (*head)->fields) {
      if (field.first == "content-type") parsed.response.content_type = field.second;
      parsed.response.headers.push_back(std::move(field));
    }
    parsed.keep_alive = KeepAlive(*minor, fields);
    std::pair<BodyFraming, size_t> framing{BodyFraming::kNone, 0};
    if (!head_request_ && *status != 204 && *status != 304) {
      auto from_fields = internal::FramingFromFields(fields, reader_->limits(), 413);
      if (!from_fields) return fail(from_fields.error());
      framing = *from_fields;
    }
    until_close_ = framing.first == BodyFraming::kUntilClose;
    if (until_close_) parsed.keep_alive = false;
    reader_->BeginBody(framing.first, framing.second);
    current_ = std::move(parsed);
  }
  auto body = reader_->ReadBody();
  if (!body) return fail(body.error());
  if (!*body) return std::nullopt;
  current_->response.body = **std::move(body);
  head_request_ = false;
  return std::exchange(current_, std::nullopt);
}

std::expected<std::optional<ParsedResponse>, ParseError> ResponseParser::Finish() {
  auto next = Next();
  if (!next || *next) return next;
  if (current_ && until_close_) {
    current_->response.body = reader_->TakeUntilCloseBody();
    head_request_ = false;
    until_close_ = false;
    return std::exchange(current_, std::nullopt);
  }
  if (InMessage()) {
    error_ = ParseError{400, "connection closed in the middle of a response"};
    return std::unexpected(*error_);
  }
  return std::nullopt;
}

}  // namespace gantry::net
