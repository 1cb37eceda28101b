#include "wire/home.h"

#include <cstdlib>

namespace gantry::wire {

std::string DefaultHome() {
  if (const char* h = getenv("GANTRY_HOME"); h && *h) return h;
  const char* home = getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.gantry";
}

}  // namespace gantry::wire
