#include "cli/command.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace gantry::cli {

std::string FullBinaryPath() {
  // Beside this binary: build/apps/gantry/ in a build tree, bin/ where it is installed.
  std::string self(4096, '\0');
  ssize_t n = readlink("/proc/self/exe", self.data(), self.size());
  if (n <= 0) return "gantry-full";
  self.resize(static_cast<size_t>(n));
  return self.substr(0, self.rfind('/') + 1) + "gantry-full";
}

int ExecFullBinary(int argc, char** argv) {
  std::string path = FullBinaryPath();
  std::vector<char*> args(argv, argv + argc);
  args.push_back(nullptr);
  execv(path.c_str(), args.data());
  std::fprintf(stderr,
               "gantry: cannot run %s: %s (the server, agent, run and token commands live "
               "there; it is installed beside gantry)\n",
               path.c_str(), std::strerror(errno));
  return 127;
}

}  // namespace gantry::cli
