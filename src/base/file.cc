#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace gantry {

namespace {
// Writes all of content to fd; on failure closes fd, removes path and returns the error.
Status WriteAllOrRemove(int fd, const std::string& path, std::string_view content) {
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      unlink(path.c_str());
      return Fail(ErrnoError("cannot write " + path, err));
    }
    off += static_cast<size_t>(n);
  }
  return {};
}
}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrnoError("cannot read " + path, errno));
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      return Fail(ErrnoError("cannot read " + path, err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view content, int mode) {
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Fail(ErrnoError("cannot write " + tmp, errno));
  fchmod(fd, static_cast<mode_t>(mode));
  GANTRY_RETURN_IF_ERROR(WriteAllOrRemove(fd, tmp, content));
  if (fsync(fd) != 0 || close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return Fail(ErrnoError("cannot write " + tmp, err));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return Fail(ErrnoError("cannot rename " + tmp + " to " + path, err));
  }
  return {};
}

Status WriteNewFile(const std::string& path, std::string_view content, int mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Fail(ErrnoError("cannot create " + path, errno));
  GANTRY_RETURN_IF_ERROR(WriteAllOrRemove(fd, path, content));
  if (close(fd) != 0) {
    int err = errno;
    unlink(path.c_str());
    return Fail(ErrnoError("cannot write " + path, err));
  }
  return {};
}

Status MakeDirs(const std::string& path, int mode) {
  if (path.empty()) return {};
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (mkdir(partial.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST) {
      return Fail(ErrnoError("cannot create directory " + partial, errno));
    }
  }
  return {};
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace gantry
