// Error values for expected failures (STYLE.md section 3).
// Error is a small value type: thread-compatible.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace gantry {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kUnavailable,
  kDeadlineExceeded,
  kCancelled,
  kInternal,
};

std::string_view ErrorCodeName(ErrorCode code);

// What went wrong, in words a person can act on.
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: job.sh:3: ..." for logs.
  std::string ToString() const;
  // Prefixes context, e.g. Wrap("reading job.sh") -> "reading job.sh: <message>".
  Error Wrap(std::string_view context) const;

 private:
  ErrorCode code_;
  std::string message_;
};

inline Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Error FailedPrecondition(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
inline Error PermissionDenied(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }
inline Error Unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
inline Error ResourceExhausted(std::string m) {
  return {ErrorCode::kResourceExhausted, std::move(m)};
}
inline Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Error DeadlineExceeded(std::string m) { return {ErrorCode::kDeadlineExceeded, std::move(m)}; }
inline Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
// An errno-based failure: "<what>: <strerror(err)>".
Error ErrnoError(std::string_view what, int err);

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace gantry

#define GANTRY_CONCAT_INNER(a, b) a##b
#define GANTRY_CONCAT(a, b) GANTRY_CONCAT_INNER(a, b)

// Returns the error of an expected<..., Error> expression from the enclosing function.
#define GANTRY_RETURN_IF_ERROR(expr)                                    \
  do {                                                                  \
    auto&& _gantry_status = (expr);                                     \
    if (!_gantry_status) return std::unexpected(_gantry_status.error()); \
  } while (0)

// GANTRY_ASSIGN_OR_RETURN(T x, Expr()): declares x from the value or returns the error.
#define GANTRY_ASSIGN_OR_RETURN(lhs, expr) \
  GANTRY_ASSIGN_OR_RETURN_IMPL(GANTRY_CONCAT(_gantry_result_, __LINE__), lhs, expr)
#define GANTRY_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                                   \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(tmp).value()
