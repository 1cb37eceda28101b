// Base64 with padding (RFC 4648 section 4), for bytes carried inside JSON (a job's input
// sandbox). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry {

std::string Base64Encode(std::string_view bytes);
// nullopt if text is not canonical padded base64 (a length that is not a multiple of 4, a
// character outside the alphabet, padding inside).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace gantry
