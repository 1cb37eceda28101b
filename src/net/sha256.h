// SHA-256 (OpenSSL), in lower-case hex: the checksum a returned sandbox file carries
// (X-Gantry-Sha256, docs/sandbox.md). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace gantry::net {

std::string Sha256Hex(std::string_view bytes);

}  // namespace gantry::net
