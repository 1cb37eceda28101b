// Number parsing shared by the submit parsers. Not for use outside src/submit/.
// Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gantry::submit::internal {

// One or more ASCII digits and nothing else (no sign, no spaces); nullopt on overflow.
std::optional<int64_t> ParseDigits(std::string_view s);

// Parses leading digits of s; returns how many characters were used (0 if none) and stores the
// value; on overflow returns 0.
size_t ParseLeadingDigits(std::string_view s, int64_t* value);

// a * b, or nullopt when it does not fit in int64 (both must be >= 0).
std::optional<int64_t> CheckedMultiply(int64_t a, int64_t b);

}  // namespace gantry::submit::internal
