#include "root/cursor.h"

#include "root/fmt.h"

namespace gantry::root {

Status Cursor::Need(size_t n, std::string_view what) const {
  if (n > remaining()) {
    return Fail(InvalidArgument(Fmt("truncated record: {} needs {} bytes at offset {} "
                                            "but only {} remain",
                                            what, n, pos_, remaining())));
  }
  return {};
}

Status Cursor::Seek(size_t pos, std::string_view what) {
  if (pos > data_.size()) {
    return Fail(InvalidArgument(Fmt("corrupt record: {} points to offset {} past the "
                                            "record's end ({})",
                                            what, pos, data_.size())));
  }
  pos_ = pos;
  return {};
}

Status Cursor::Skip(size_t n, std::string_view what) {
  GANTRY_RETURN_IF_ERROR(Need(n, what));
  pos_ += n;
  return {};
}

Result<uint8_t> Cursor::U8(std::string_view what) {
  GANTRY_RETURN_IF_ERROR(Need(1, what));
  return static_cast<uint8_t>(data_[pos_++]);
}

Result<uint16_t> Cursor::U16(std::string_view what) {
  GANTRY_RETURN_IF_ERROR(Need(2, what));
  uint16_t v = LoadBE16(reinterpret_cast<const unsigned char*>(data_.data() + pos_));
  pos_ += 2;
  return v;
}

Result<uint32_t> Cursor::U32(std::string_view what) {
  GANTRY_RETURN_IF_ERROR(Need(4, what));
  uint32_t v = LoadBE32(reinterpret_cast<const unsigned char*>(data_.data() + pos_));
  pos_ += 4;
  return v;
}

Result<uint64_t> Cursor::U64(std::string_view what) {
  GANTRY_RETURN_IF_ERROR(Need(8, what));
  uint64_t v = LoadBE64(reinterpret_cast<const unsigned char*>(data_.data() + pos_));
  pos_ += 8;
  return v;
}

Result<double> Cursor::F64(std::string_view what) {
  GANTRY_ASSIGN_OR_RETURN(uint64_t bits, U64(what));
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

Result<std::string> Cursor::TString(std::string_view what) {
  GANTRY_ASSIGN_OR_RETURN(uint8_t short_length, U8(what));
  size_t length = short_length;
  if (short_length == 255) {
    GANTRY_ASSIGN_OR_RETURN(uint32_t long_length, U32(what));
    length = long_length;
  }
  GANTRY_ASSIGN_OR_RETURN(std::string_view bytes, Bytes(length, what));
  return std::string(bytes);
}

Result<std::string> Cursor::CString(std::string_view what) {
  size_t end = data_.find('\0', pos_);
  if (end == std::string_view::npos) {
    return Fail(InvalidArgument(
        Fmt("truncated record: {} at offset {} has no terminating NUL", what, pos_)));
  }
  std::string s(data_.substr(pos_, end - pos_));
  pos_ = end + 1;
  return s;
}

Result<std::string_view> Cursor::Bytes(size_t n, std::string_view what) {
  GANTRY_RETURN_IF_ERROR(Need(n, what));
  std::string_view v = data_.substr(pos_, n);
  pos_ += n;
  return v;
}

}  // namespace gantry::root
