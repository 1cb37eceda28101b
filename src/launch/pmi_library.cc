#include "launch/pmi_library.h"

#include <cstdlib>

namespace gantry::launch {

namespace {

std::string FromEnvironment(const char* name, const char* fallback) {
  if (const char* path = std::getenv(name); path != nullptr && *path != '\0') return path;
  return fallback;
}

}  // namespace

std::string GantryPmiLibraryPath() {
  return FromEnvironment("GANTRY_PMI_LIBRARY", GANTRY_PMI_LIBRARY_DEFAULT);
}

std::string GantrySpawnGuardPath() {
  return FromEnvironment("GANTRY_SPAWN_GUARD", GANTRY_SPAWN_GUARD_DEFAULT);
}

}  // namespace gantry::launch
