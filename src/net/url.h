// Percent-encoding (RFC 3986) and query strings. Pure functions: thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::net {

// Whether '+' decodes to a space: yes in query strings (HTML forms), no in paths.
enum class PlusAsSpace { kNo, kYes };

// Encodes every byte except the unreserved set A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex).
// Safe for query keys, query values and single path segments.
std::string PercentEncode(std::string_view s);

// Decodes %XX escapes; nullopt if a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view s, PlusAsSpace plus);

// "a=1&b=x%20y&flag" -> {a:1, b:"x y", flag:""}. Empty pairs are skipped, a repeated key
// keeps the last value. InvalidArgument on a malformed %-escape.
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

// The inverse: "a=1&b=x%20y" (keys in map order). Empty map gives "".
std::string BuildQuery(const std::map<std::string, std::string>& params);

}  // namespace gantry::net
