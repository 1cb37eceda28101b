// Storage URLs the transfer service speaks: file:///abs/path, root://host[:port]//abs/path,
// https://host[:port]/path. Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::transfer {

struct Url {
  std::string scheme;     // "file", "root", "https"
  std::string authority;  // "host:port" ("" for file)
  std::string path;       // absolute: "/data/f1"
  std::string text;       // as given

  // The same object under another path ("root://h:1094/" + path).
  Url WithPath(std::string path) const;
  std::string Parent() const;  // the path's directory
};

// Errors name the URL and what is wrong ("file://x/y: file URLs have no host").
Result<Url> ParseUrl(std::string_view text);

// A plain local path is a file URL; anything with "://" is parsed as a URL.
Result<Url> ParseUrlOrPath(std::string_view text);

}  // namespace gantry::transfer
