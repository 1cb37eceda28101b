// Base64url without padding (RFC 4648 section 5), as JWS and JWK use it. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry::identity {

std::string Base64UrlEncode(std::string_view bytes);
// nullopt on a character outside the alphabet or an impossible length; padding is accepted.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace gantry::identity
