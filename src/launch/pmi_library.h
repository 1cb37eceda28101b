// Where libgantry-pmi.so lives, for ranks that load it (Open MPI's flux component).
// Thread-safe.
#pragma once

#include <string>

namespace gantry::launch {

// $GANTRY_PMI_LIBRARY if set, else the library built next to this gantry binary.
std::string GantryPmiLibraryPath();

}  // namespace gantry::launch
