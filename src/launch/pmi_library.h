// Where libgantry-pmi.so and libgantry-spawn-guard.so live, for ranks that load them.
// Thread-safe.
#pragma once

#include <string>

namespace gantry::launch {

// $GANTRY_PMI_LIBRARY if set, else the library built next to this gantry binary.
std::string GantryPmiLibraryPath();
// $GANTRY_SPAWN_GUARD if set, else the guard built next to this gantry binary.
std::string GantrySpawnGuardPath();

}  // namespace gantry::launch
