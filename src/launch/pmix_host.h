// PmixHost: the PMIx server for Open MPI ranks, through libpmix's server API
// (PMIx_server_init, register_nspace/register_client, setup_fork, fence and abort upcalls).
// libpmix calls its upcalls on its own progress thread; they are queued and completed on the
// loop thread (eventfd). Only one may exist per process (libpmix is a singleton).
// Public methods: loop-thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "launch/poller.h"

namespace gantry::launch {

struct PmixJob {
  std::string job_id;        // unique on this node; the PMIx namespace is "gantry.<job_id>"
  int size = 1;              // ranks in the job
  std::vector<int> local_ranks;
  std::string tmpdir;        // per-job session directory, removed by the launcher
  void* hwloc_topology = nullptr;  // hwloc_topology_t discovered once, or null
};

class PmixHost {
 public:
  static Result<std::unique_ptr<PmixHost>> Create(const PmixJob& job);
  virtual ~PmixHost() = default;
  // The variables a rank needs to reach the server (PMIx_server_setup_fork), plus the
  // resource-manager marker without which Open MPI 4.1 will not direct-launch.
  virtual Result<std::vector<std::string>> RankEnvironment(int rank) = 0;
  // Calls on_abort(rank, status) on the loop thread when a rank calls PMIx_Abort
  // (MPI_Abort in Open MPI), and on_fence() after each fence completes.
  virtual void WatchEvents(Poller& poller, std::function<void(int, int)> on_abort,
                           std::function<void()> on_fence) = 0;
};

}  // namespace gantry::launch
