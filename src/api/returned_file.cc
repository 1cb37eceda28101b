#include "api/returned_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "net/sha256.h"

namespace gantry::api {
namespace {

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(ErrnoError("cannot write " + path, errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

// What the target holds now (append mode), read with the owner's rights; none if missing.
Result<std::string> Existing(const std::string& path, const FileUser& owner) {
  auto fd = OpenAsUser(path, O_RDONLY, owner);
  if (!fd) {
    if (fd.error().code() == ErrorCode::kNotFound) return std::string();
    return Fail(fd.error());
  }
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(*fd);
      return Fail(ErrnoError("cannot read " + path, err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(*fd);
  return out;
}

}  // namespace

Status WriteReturnedFile(const ReturnedFile& f, const FileUser& owner) {
  std::string sum = net::Sha256Hex(f.bytes);
  if (sum != f.sha256) {
    return Fail(InvalidArgument("the checksum of " + f.target + " does not match: sent sha256 " +
                                f.sha256 + ", received " + sum + " (" +
                                std::to_string(f.bytes.size()) + " bytes)"));
  }
  std::string before;
  if (f.append) {
    GANTRY_ASSIGN_OR_RETURN(before, Existing(f.target, owner));
  }
  size_t slash = f.target.rfind('/');
  std::string dir = slash == std::string::npos ? "." : f.target.substr(0, slash);
  std::string base = f.target.substr(slash == std::string::npos ? 0 : slash + 1);
  std::string temp = dir + "/." + base + ".gantry-" + std::to_string(f.attempt_id) + ".tmp";
  (void)UnlinkAsUser(temp, owner);  // one a crashed server left
  GANTRY_ASSIGN_OR_RETURN(int fd, CreateAsUser(temp, 0644, owner));
  Status written = WriteAll(fd, before, temp);
  if (written) written = WriteAll(fd, f.bytes, temp);
  if (written && fsync(fd) != 0) written = Fail(ErrnoError("cannot fsync " + temp, errno));
  if (close(fd) != 0 && written) written = Fail(ErrnoError("cannot close " + temp, errno));
  if (written) written = RenameAsUser(temp, f.target, owner);
  if (!written) {
    (void)UnlinkAsUser(temp, owner);
    return written;
  }
  return {};
}

}  // namespace gantry::api
