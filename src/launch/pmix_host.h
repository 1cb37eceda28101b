// PmixHost: the PMIx server for Open MPI ranks, through libpmix's server API
// (PMIx_server_init, register_nspace/register_client, setup_fork, fence and modex upcalls).
// libpmix runs its own progress thread; upcalls that need the launcher are posted to the
// loop thread through an eventfd. Public methods: loop-thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "launch/poller.h"

namespace gantry::launch {

class PmixHost {
 public:
  // One namespace of `local_ranks` ranks, all on this node. `topology_xml` may be empty.
  static Result<std::unique_ptr<PmixHost>> Create(const std::string& job_id, size_t local_ranks,
                                                  const std::string& topology_xml);
  virtual ~PmixHost() = default;
  // The variables PMIx_server_setup_fork wants in `rank`'s environment.
  virtual Result<std::vector<std::string>> RankEnvironment(int rank) = 0;
  // Calls on_abort(rank, exit_code) on the loop thread when a client calls PMIx_Abort.
  virtual void WatchEvents(Poller& poller, std::function<void(int, int)> on_abort) = 0;
};

}  // namespace gantry::launch
