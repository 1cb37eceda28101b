#include "transfer/url.h"

#include <unistd.h>

#include <climits>

namespace gantry::transfer {

Url Url::WithPath(std::string new_path) const {
  Url u = *this;
  u.path = std::move(new_path);
  if (scheme == "file") {
    u.text = "file://" + u.path;
  } else if (scheme == "root") {
    u.text = "root://" + authority + "/" + u.path;
  } else {
    u.text = scheme + "://" + authority + u.path;
  }
  return u;
}

std::string Url::Parent() const {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

Result<Url> ParseUrl(std::string_view text) {
  auto bad = [&](std::string why) {
    return Fail(InvalidArgument(std::string(text) + ": " + why));
  };
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return bad("not a URL (scheme://...)");
  Url u;
  u.text = std::string(text);
  u.scheme = std::string(text.substr(0, sep));
  std::string_view rest = text.substr(sep + 3);
  if (u.scheme == "file") {
    if (rest.empty() || rest[0] != '/') return bad("file URLs have no host: file:///abs/path");
    u.path = std::string(rest);
  } else if (u.scheme == "root" || u.scheme == "https" || u.scheme == "http") {
    size_t slash = rest.find('/');
    if (slash == 0 || rest.empty()) return bad("needs a host");
    if (slash == std::string_view::npos) return bad("needs a path after the host");
    u.authority = std::string(rest.substr(0, slash));
    std::string_view path = rest.substr(slash);
    // root://host//abs/path: the second slash starts the absolute path; one slash is the
    // same path (xrootd treats both as absolute).
    if (u.scheme == "root" && path.starts_with("//")) path.remove_prefix(1);
    u.path = std::string(path);
  } else {
    return bad("unknown protocol '" + u.scheme + "' (file, root, https)");
  }
  if (u.path.find('\0') != std::string::npos) return bad("has a NUL byte");
  if (u.path.find("/../") != std::string::npos || u.path.ends_with("/..")) {
    return bad("'..' is not allowed in a storage path");
  }
  return u;
}

Result<Url> ParseUrlOrPath(std::string_view text) {
  if (text.find("://") != std::string_view::npos) return ParseUrl(text);
  if (text.empty()) return Fail(InvalidArgument("an empty path"));
  std::string path(text);
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return Fail(ErrnoError("getcwd", errno));
    path = std::string(cwd) + "/" + path;
  }
  return ParseUrl("file://" + path);
}

}  // namespace gantry::transfer
