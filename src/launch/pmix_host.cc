#include "launch/pmix_host.h"

namespace gantry::launch {

Result<std::unique_ptr<PmixHost>> PmixHost::Create(const std::string&, size_t,
                                                   const std::string&) {
  return Fail(FailedPrecondition("PMIx is not available yet; use --mpi=flux for Open MPI"));
}

}  // namespace gantry::launch
