#include "submit/memory.h"

#include <string>

#include "base/strings.h"
#include "model/limits.h"
#include "submit/internal/numbers.h"

namespace gantry::submit {
namespace {

constexpr std::string_view kExpected =
    "expected a non-negative whole number with an optional unit K, M, G or T (default M), "
    "e.g. 4G or 500M";

}  // namespace

Result<int64_t> ParseMemory(std::string_view text) {
  text = Trim(text);
  int64_t number = 0;
  size_t used = internal::ParseLeadingDigits(text, &number);
  if (used == 0) return Fail(InvalidArgument(std::string(kExpected)));
  std::string unit = ToLower(text.substr(used));
  if (unit.size() == 2 && unit[1] == 'b') unit.pop_back();
  std::optional<int64_t> mb;
  if (unit.empty() || unit == "m") {
    mb = number;
  } else if (unit == "k") {
    mb = number / 1024 + (number % 1024 != 0 ? 1 : 0);
  } else if (unit == "g") {
    mb = internal::CheckedMultiply(number, 1024);
  } else if (unit == "t") {
    mb = internal::CheckedMultiply(number, 1024 * 1024);
  } else {
    return Fail(InvalidArgument(std::string(kExpected)));
  }
  // 2^40 MiB = 1 EiB: anything above is a typo, and the bound keeps later products in range.
  if (!mb || *mb > model::kMaxMemoryMb) return Fail(InvalidArgument("memory size too large"));
  return *mb;
}

}  // namespace gantry::submit
