#include "catalog/checksum.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace gantry::catalog {

void Adler32::Update(std::span<const char> bytes) {
  value_ = static_cast<uint32_t>(
      adler32_z(value_, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::string Adler32::Hex() const {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", value_);
  return buf;
}

uint32_t Adler32Combine(uint32_t first, uint32_t second, int64_t second_length) {
  return static_cast<uint32_t>(adler32_combine(first, second, static_cast<z_off_t>(second_length)));
}

Result<FileSum> ChecksumFile(const std::string& path, WithMd5 with_md5) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrnoError("cannot open " + path, errno));
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat before;
  if (fstat(fd, &before) != 0) return Fail(ErrnoError("cannot stat " + path, errno));
  if (!S_ISREG(before.st_mode)) return Fail(InvalidArgument(path + " is not a regular file"));
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5(nullptr, EVP_MD_CTX_free);
  if (with_md5 == WithMd5::kYes) {
    md5.reset(EVP_MD_CTX_new());
    if (!md5 || EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr) != 1) {
      return Fail(Internal("cannot start an md5 digest"));
    }
  }
  std::vector<char> buf(1 << 20);
  Adler32 adler;
  FileSum sum;
  while (true) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrnoError("cannot read " + path, errno));
    }
    if (n == 0) break;
    adler.Update({buf.data(), static_cast<size_t>(n)});
    if (md5) EVP_DigestUpdate(md5.get(), buf.data(), static_cast<size_t>(n));
    sum.bytes += n;
  }
  struct stat after;
  if (fstat(fd, &after) != 0) return Fail(ErrnoError("cannot stat " + path, errno));
  if (after.st_size != sum.bytes || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
      after.st_mtim.tv_nsec != before.st_mtim.tv_nsec) {
    return Fail(FailedPrecondition(path + " changed while it was read (" +
                                   std::to_string(sum.bytes) + " bytes read, " +
                                   std::to_string(after.st_size) + " now): try again once it "
                                   "is complete"));
  }
  sum.adler32 = adler.Hex();
  if (md5) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(md5.get(), digest, &length);
    char hex[3];
    for (unsigned int i = 0; i < length; ++i) {
      std::snprintf(hex, sizeof hex, "%02x", digest[i]);
      sum.md5 += hex;
    }
  }
  return sum;
}

}  // namespace gantry::catalog
