#include <cstdio>

namespace gantry::cli {
int RunVersion(int, char**) {
  std::printf("gantry 0.1.0\n");
  return 0;
}
}  // namespace gantry::cli
