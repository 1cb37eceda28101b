// A bounds-checked big-endian reader over bytes held elsewhere (ROOT's on-disk byte order).
// Every read that would pass the end fails with a message naming what was being read and
// where, so a truncated or corrupt record is an error value, never a crash.
// Thread-compatible (a small value type over borrowed bytes).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::root {

class Cursor {
 public:
  // origin: the position of data[0] in the stream ROOT's object references count from (the
  // record's key length for an object read from a TKey).
  Cursor(std::string_view data, uint64_t origin = 0) : data_(data), origin_(origin) {}

  size_t pos() const { return pos_; }
  size_t size() const { return data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  uint64_t origin() const { return origin_; }
  std::string_view data() const { return data_; }
  // The stream position ROOT records for the byte at pos() (for object and class tags).
  uint64_t StreamPos() const { return origin_ + pos_; }

  Status Need(size_t n, std::string_view what) const;
  Status Seek(size_t pos, std::string_view what);
  Status Skip(size_t n, std::string_view what);

  Result<uint8_t> U8(std::string_view what);
  Result<uint16_t> U16(std::string_view what);
  Result<uint32_t> U32(std::string_view what);
  Result<uint64_t> U64(std::string_view what);
  Result<int16_t> I16(std::string_view what) {
    GANTRY_ASSIGN_OR_RETURN(uint16_t v, U16(what));
    return static_cast<int16_t>(v);
  }
  Result<int32_t> I32(std::string_view what) {
    GANTRY_ASSIGN_OR_RETURN(uint32_t v, U32(what));
    return static_cast<int32_t>(v);
  }
  Result<int64_t> I64(std::string_view what) {
    GANTRY_ASSIGN_OR_RETURN(uint64_t v, U64(what));
    return static_cast<int64_t>(v);
  }
  Result<double> F64(std::string_view what);
  // ROOT's TString: one length byte, or 255 and a 4-byte length, then the characters.
  Result<std::string> TString(std::string_view what);
  // A NUL-terminated string (class names after a new-class tag).
  Result<std::string> CString(std::string_view what);
  Result<std::string_view> Bytes(size_t n, std::string_view what);

 private:
  std::string_view data_;
  size_t pos_ = 0;
  uint64_t origin_ = 0;
};

// Big-endian loads from raw bytes (callers have checked the length).
inline uint16_t LoadBE16(const unsigned char* p) { return uint16_t(p[0] << 8 | p[1]); }
inline uint32_t LoadBE32(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}
inline uint64_t LoadBE64(const unsigned char* p) {
  return uint64_t(LoadBE32(p)) << 32 | LoadBE32(p + 4);
}

}  // namespace gantry::root
