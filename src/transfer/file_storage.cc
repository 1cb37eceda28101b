// file:// storage: POSIX files. Commit renames without replacing (renameat2 NOREPLACE)
// unless overwrite was asked, so two writers of one name cannot both win.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "catalog/checksum.h"
#include "transfer/storage.h"

namespace gantry::transfer {

std::string TemporaryPath(const Url& url, const std::string& temp_suffix) {
  return url.path + ".gantry-part-" + temp_suffix;
}

namespace {

class FileSource final : public Source {
 public:
  FileSource(int fd, int64_t size) : fd_(fd), size_(size) {}
  ~FileSource() override { close(fd_); }
  int64_t size() const override { return size_; }
  int fd() const override { return fd_; }
  Result<size_t> ReadAt(int64_t offset, std::span<char> buffer) override {
    while (true) {
      ssize_t n = pread(fd_, buffer.data(), buffer.size(), offset);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Fail(ErrnoError("reading the source", errno));
    }
  }

 private:
  int fd_;
  int64_t size_;
};

class FileSink final : public Sink {
 public:
  FileSink(int fd, Url final_url, Url temp, Overwrite overwrite)
      : fd_(fd), final_(std::move(final_url)), temp_(std::move(temp)), overwrite_(overwrite) {}
  ~FileSink() override {
    if (fd_ >= 0) close(fd_);
    if (!committed_) Abort();
  }
  int fd() const override { return fd_; }
  const Url& temporary() const override { return temp_; }

  Status WriteAt(int64_t offset, std::span<const char> bytes) override {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = pwrite(fd_, bytes.data() + done, bytes.size() - done,
                         offset + static_cast<int64_t>(done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(ErrnoError("writing " + temp_.path, errno));
      }
      done += static_cast<size_t>(n);
    }
    return {};
  }

  Status Close() override {
    if (fd_ < 0) return {};
    int rc = close(fd_);
    fd_ = -1;
    if (rc != 0) return Fail(ErrnoError("closing " + temp_.path, errno));
    return {};
  }

  Result<std::string> StoredAdler32() override {
    GANTRY_ASSIGN_OR_RETURN(catalog::FileSum sum, catalog::ChecksumFile(temp_.path));
    return sum.adler32;
  }

  Status Commit() override {
    int rc = overwrite_ == Overwrite::kYes
                 ? rename(temp_.path.c_str(), final_.path.c_str())
                 : renameat2(AT_FDCWD, temp_.path.c_str(), AT_FDCWD, final_.path.c_str(),
                             RENAME_NOREPLACE);
    if (rc != 0) {
      int err = errno;
      if (err == EEXIST) {
        return Fail(AlreadyExists(final_.text + " exists (it appeared while copying)"));
      }
      return Fail(ErrnoError("renaming " + temp_.path + " to " + final_.path, err));
    }
    committed_ = true;
    return {};
  }

  void Abort() override {
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
    if (!committed_) unlink(temp_.path.c_str());
  }

 private:
  int fd_;
  Url final_;
  Url temp_;
  Overwrite overwrite_;
  bool committed_ = false;
};

class FileStorage final : public Storage {
 public:
  Result<std::unique_ptr<Source>> OpenRead(const Url& url) override {
    int fd = open(url.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Fail(ErrnoError("cannot open " + url.text, errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(fd);
      return Fail(InvalidArgument(url.text + " is not a regular file"));
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<Source>(new FileSource(fd, st.st_size));
  }

  Result<std::unique_ptr<Sink>> Create(const Url& url, const std::string& temp_suffix,
                                       Overwrite overwrite) override {
    GANTRY_RETURN_IF_ERROR(MakeDirs(url.Parent(), 0755));
    if (overwrite == Overwrite::kNo && access(url.path.c_str(), F_OK) == 0) {
      return Fail(AlreadyExists(url.text + " exists"));
    }
    Url temp = url.WithPath(TemporaryPath(url, temp_suffix));
    int fd = open(temp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Fail(ErrnoError("cannot create " + temp.path, errno));
    return std::unique_ptr<Sink>(new FileSink(fd, url, std::move(temp), overwrite));
  }

  Result<int64_t> Size(const Url& url) override {
    struct stat st;
    if (stat(url.path.c_str(), &st) != 0) return Fail(ErrnoError("cannot stat " + url.text, errno));
    return static_cast<int64_t>(st.st_size);
  }

  Result<std::string> Adler32(const Url& url) override {
    GANTRY_ASSIGN_OR_RETURN(catalog::FileSum sum, catalog::ChecksumFile(url.path));
    return sum.adler32;
  }

  Status Remove(const Url& url) override {
    if (unlink(url.path.c_str()) != 0 && errno != ENOENT) {
      return Fail(ErrnoError("cannot remove " + url.text, errno));
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Storage> NewFileStorage() { return std::make_unique<FileStorage>(); }

}  // namespace gantry::transfer
