#include "launch/pmi_library.h"

#include <cstdlib>

namespace gantry::launch {

std::string GantryPmiLibraryPath() {
  if (const char* path = std::getenv("GANTRY_PMI_LIBRARY"); path != nullptr && *path != '\0') {
    return path;
  }
  return GANTRY_PMI_LIBRARY_DEFAULT;
}

}  // namespace gantry::launch
