#include "submit/time_limit.h"

#include <vector>

#include "base/strings.h"
#include "model/limits.h"
#include "submit/internal/numbers.h"

namespace gantry::submit {
namespace {

constexpr std::string_view kExpected =
    "expected minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes, "
    "days-hours:minutes:seconds, or UNLIMITED";

// The API's bound too (model/limits.h): 100 years, far beyond any real wall time.
constexpr int64_t kMaxSeconds = model::kMaxTimeLimitSeconds;

Result<std::vector<int64_t>> ParseFields(std::string_view text) {
  std::vector<int64_t> fields;
  for (const std::string& part : Split(text, ':')) {
    std::optional<int64_t> v = internal::ParseDigits(part);
    if (!v) return Fail(InvalidArgument(std::string(kExpected)));
    fields.push_back(*v);
  }
  return fields;
}

}  // namespace

Result<int64_t> ParseTimeLimit(std::string_view text) {
  text = Trim(text);
  if (text == "-1" || EqualsIgnoreCase(text, "UNLIMITED") || EqualsIgnoreCase(text, "INFINITE")) {
    return 0;
  }
  if (text.empty()) return Fail(InvalidArgument(std::string(kExpected)));
  int64_t days = 0, hours = 0, minutes = 0, seconds = 0;
  size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    // days-hours[:minutes[:seconds]]
    std::optional<int64_t> d = internal::ParseDigits(text.substr(0, dash));
    GANTRY_ASSIGN_OR_RETURN(std::vector<int64_t> rest, ParseFields(text.substr(dash + 1)));
    if (!d || rest.size() > 3) return Fail(InvalidArgument(std::string(kExpected)));
    days = *d;
    hours = rest[0];
    if (rest.size() > 1) minutes = rest[1];
    if (rest.size() > 2) seconds = rest[2];
  } else {
    GANTRY_ASSIGN_OR_RETURN(std::vector<int64_t> f, ParseFields(text));
    if (f.size() == 1) {
      minutes = f[0];
    } else if (f.size() == 2) {
      minutes = f[0];
      seconds = f[1];
    } else if (f.size() == 3) {
      hours = f[0];
      minutes = f[1];
      seconds = f[2];
    } else {
      return Fail(InvalidArgument(std::string(kExpected)));
    }
  }
  // Each field is at most 18 digits of int64; clamp before multiplying to stay defined.
  if (days > kMaxSeconds || hours > kMaxSeconds || minutes > kMaxSeconds || seconds > kMaxSeconds) {
    return Fail(InvalidArgument("time limit too large (at most 100 years)"));
  }
  int64_t total = days * 86400 + hours * 3600 + minutes * 60 + seconds;
  if (total > kMaxSeconds) return Fail(InvalidArgument("time limit too large (at most 100 years)"));
  return total;
}

}  // namespace gantry::submit
