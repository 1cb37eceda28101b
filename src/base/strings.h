// Small string helpers shared by every module. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/clock.h"

namespace gantry {

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char separator);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Whole-string decimal integer; nullopt on anything else (sign allowed).
std::optional<int64_t> ParseInt(std::string_view s);

// "2026-11-21T12:47:35Z" (UTC, seconds).
std::string FormatTime(TimeMicros t);
// "1:02:03", "2-03:04:05" for durations in seconds.
std::string FormatDuration(int64_t seconds);

}  // namespace gantry
