// Checksums of file contents as the catalog keeps them: adler32 (zlib's, as Rucio, FTS and
// XRootD compute it) printed as 8 lowercase hex digits, and md5 where asked. Adler32 is a
// small streaming value type (thread-compatible); the file functions read with pread.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/error.h"

namespace gantry::catalog {

class Adler32 {
 public:
  void Update(std::span<const char> bytes);
  uint32_t value() const { return value_; }
  std::string Hex() const;  // "0a1b2c3d"

 private:
  uint32_t value_ = 1;
};

// Combines the adler32 of two consecutive pieces (zlib's adler32_combine).
uint32_t Adler32Combine(uint32_t first, uint32_t second, int64_t second_length);

struct FileSum {
  int64_t bytes = 0;
  std::string adler32;
  std::string md5;  // only when asked
};

enum class WithMd5 { kNo, kYes };
// Reads the file once. Fails if it changes size while being read.
Result<FileSum> ChecksumFile(const std::string& path, WithMd5 md5 = WithMd5::kNo);

}  // namespace gantry::catalog
