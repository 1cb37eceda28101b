#include "root/source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include "root/fmt.h"

namespace gantry::root {
namespace {

Error PastEnd(const Source& source, const ReadRequest& r) {
  return InvalidArgument(Fmt("truncated file: {} has {} bytes, a read wants {} bytes "
                                     "at offset {}",
                                     source.Describe(), source.Size(), r.size, r.offset));
}

class LocalSource final : public Source {
 public:
  LocalSource(int fd, uint64_t size, std::string path) : fd_(fd), size_(size), path_(path) {}
  ~LocalSource() override { ::close(fd_); }

  uint64_t Size() const override { return size_; }
  std::string Describe() const override { return "file " + path_; }

  Status ReadV(std::span<const ReadRequest> requests) override {
    uint64_t total = 0;
    for (const ReadRequest& r : requests) {
      if (r.offset > size_ || r.size > size_ - r.offset) return Fail(PastEnd(*this, r));
      size_t done = 0;
      while (done < r.size) {
        ssize_t n = ::pread(fd_, r.out + done, r.size - done, static_cast<off_t>(r.offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Fail(ErrnoError(Fmt("reading {}", path_), errno));
        if (n == 0) return Fail(PastEnd(*this, r));
        done += static_cast<size_t>(n);
      }
      total += r.size;
    }
    Count(total);
    return {};
  }

 private:
  int fd_;
  uint64_t size_;
  std::string path_;
};

class InMemorySource final : public Source {
 public:
  InMemorySource(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  uint64_t Size() const override { return bytes_.size(); }
  std::string Describe() const override { return name_; }
  Status ReadV(std::span<const ReadRequest> requests) override {
    uint64_t total = 0;
    for (const ReadRequest& r : requests) {
      if (r.offset > bytes_.size() || r.size > bytes_.size() - r.offset) {
        return Fail(PastEnd(*this, r));
      }
      std::copy_n(bytes_.data() + r.offset, r.size, r.out);
      total += r.size;
    }
    Count(total);
    return {};
  }

 private:
  std::string bytes_;
  std::string name_;
};

}  // namespace

Result<std::string> Source::ReadAt(uint64_t offset, size_t size) {
  std::string out(size, '\0');
  ReadRequest r{offset, size, out.data()};
  GANTRY_RETURN_IF_ERROR(ReadV(std::span<const ReadRequest>(&r, 1)));
  return out;
}

Result<std::unique_ptr<Source>> OpenLocalSource(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrnoError(Fmt("opening {}", path), errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Fail(ErrnoError(Fmt("stat {}", path), err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(InvalidArgument(Fmt("{} is not a regular file", path)));
  }
  return std::make_unique<LocalSource>(fd, static_cast<uint64_t>(st.st_size), path);
}

std::unique_ptr<Source> MemorySource(std::string bytes, std::string name) {
  return std::make_unique<InMemorySource>(std::move(bytes), std::move(name));
}

}  // namespace gantry::root

namespace gantry::root {

// Defined in xrootd_source.cc when the XRootD client is built in.
Result<std::unique_ptr<Source>> OpenXRootDSource(const std::string& url,
                                                 const SourceOptions& options);

Result<std::unique_ptr<Source>> OpenSource(const std::string& url, const SourceOptions& options) {
  if (url.starts_with("root://") || url.starts_with("xroot://")) {
    return OpenXRootDSource(url, options);
  }
  if (url.starts_with("file://")) return OpenLocalSource(url.substr(7));
  if (url.find("://") != std::string::npos) {
    return Fail(InvalidArgument(Fmt("cannot open {}: only local paths, file:// and "
                                            "root:// are supported",
                                            url)));
  }
  return OpenLocalSource(url);
}

}  // namespace gantry::root
