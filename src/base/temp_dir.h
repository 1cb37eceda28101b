// A fresh directory under /tmp, removed with everything in it when the object goes. For
// tests (short paths: Unix socket paths are limited to 107 bytes).
#pragma once

#include <string>
#include <string_view>

namespace gantry {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "gantry");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace gantry
