// Fmt("a {} b {}", x, y): "{}" replaced by each argument in turn ("{{" and "}}" are braces).
// GCC 12's libstdc++ has no <format>; this covers the reader's error messages. Pure.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace gantry::root {

namespace fmt_internal {
inline void Append(std::string& out, std::string_view v) { out += v; }
inline void Append(std::string& out, const char* v) { out += v; }
inline void Append(std::string& out, const std::string& v) { out += v; }
inline void Append(std::string& out, char v) { out += v; }
inline void Append(std::string& out, bool v) { out += v ? "true" : "false"; }
template <typename T>
  requires std::is_arithmetic_v<T>
void Append(std::string& out, T v) {
  if constexpr (std::is_floating_point_v<T>) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(v));
    out += buf;
  } else {
    out += std::to_string(v);
  }
}
inline void Emit(std::string& out, std::string_view& fmt) {
  while (!fmt.empty()) {
    if (fmt.starts_with("{{") || fmt.starts_with("}}")) {
      out += fmt[0];
      fmt.remove_prefix(2);
    } else if (fmt.starts_with("{}")) {
      return;
    } else {
      out += fmt[0];
      fmt.remove_prefix(1);
    }
  }
}
}  // namespace fmt_internal

template <typename... Args>
std::string Fmt(std::string_view fmt, const Args&... args) {
  std::string out;
  auto one = [&](const auto& arg) {
    fmt_internal::Emit(out, fmt);
    if (fmt.starts_with("{}")) {
      fmt_internal::Append(out, arg);
      fmt.remove_prefix(2);
    }
  };
  (one(args), ...);
  fmt_internal::Emit(out, fmt);
  return out;
}

// "%016llx"-style helpers for the few places that need a format spec.
inline std::string Hex(uint64_t v, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llx", width, static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace gantry::root
