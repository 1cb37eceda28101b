// A big-endian byte builder for writing ROOT records, with ROOT's byte counts and object
// pointers (new-class tags, class and object references). Positions for references count
// from the start of the record's key (origin = key length), as ROOT's reader expects.
// Thread-compatible.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

namespace gantry::root {

class WBuffer {
 public:
  explicit WBuffer(uint64_t origin = 0) : origin_(origin) {}

  const std::string& bytes() const { return out_; }
  std::string& mutable_bytes() { return out_; }
  size_t size() const { return out_.size(); }

  void U8(uint8_t v) { out_ += static_cast<char>(v); }
  void U16(uint16_t v) { Big(v, 2); }
  void U32(uint32_t v) { Big(v, 4); }
  void U64(uint64_t v) { Big(v, 8); }
  void I16(int16_t v) { U16(static_cast<uint16_t>(v)); }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void F32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    U32(bits);
  }
  void F64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    U64(bits);
  }
  void Raw(std::string_view v) { out_ += v; }
  void TString(std::string_view v) {
    if (v.size() < 255) {
      U8(static_cast<uint8_t>(v.size()));
    } else {
      U8(255);
      U32(static_cast<uint32_t>(v.size()));
    }
    out_ += v;
  }
  void Patch32(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  }

  // Byte count + version; EndObject fills the count in.
  size_t BeginObject(int16_t version) {
    size_t at = out_.size();
    U32(0);
    I16(version);
    return at;
  }
  void EndObject(size_t at) {
    Patch32(at, static_cast<uint32_t>(out_.size() - at - 4) | 0x40000000u);
  }
  // TObject as ROOT writes it for objects on the heap (kNotDeleted | kIsOnHeap).
  void TObject() {
    I16(1);
    U32(0);
    U32(0x03000000);
  }
  void TNamed(std::string_view name, std::string_view title) {
    size_t at = BeginObject(1);
    TObject();
    TString(name);
    TString(title);
    EndObject(at);
  }

  // An object pointer to a new object of `class_name`: byte count, class tag (new or a
  // reference to the first time this class was written), then the caller writes the body
  // and calls EndObject(returned). *tag gets the position later references use.
  size_t BeginObjectAny(const std::string& class_name, uint32_t* tag = nullptr) {
    size_t at = out_.size();
    if (tag) *tag = static_cast<uint32_t>(origin_ + at + 2);
    U32(0);
    auto it = classes_.find(class_name);
    if (it != classes_.end()) {
      U32(it->second | 0x80000000u);
    } else {
      classes_[class_name] = static_cast<uint32_t>(origin_ + out_.size() + 2);
      U32(0xffffffffu);
      out_ += class_name;
      out_ += '\0';
    }
    return at;
  }
  void Reference(uint32_t tag) { U32(tag); }
  void Null() { U32(0); }

 private:
  void Big(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  std::string out_;
  uint64_t origin_;
  std::map<std::string, uint32_t> classes_;
};

}  // namespace gantry::root
