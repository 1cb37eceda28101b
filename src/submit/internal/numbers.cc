#include "submit/internal/numbers.h"

#include <charconv>
#include <limits>

namespace gantry::submit::internal {

size_t ParseLeadingDigits(std::string_view s, int64_t* value) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0) return 0;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + n, v);
  if (ec != std::errc() || ptr != s.data() + n) return 0;
  *value = v;
  return n;
}

std::optional<int64_t> ParseDigits(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || ParseLeadingDigits(s, &v) != s.size()) return std::nullopt;
  return v;
}

std::optional<int64_t> CheckedMultiply(int64_t a, int64_t b) {
  if (a < 0 || b < 0) return std::nullopt;
  if (a != 0 && b > std::numeric_limits<int64_t>::max() / a) return std::nullopt;
  return a * b;
}

}  // namespace gantry::submit::internal
