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

// What the launcher hears from the PMIx server, on the loop thread.
struct PmixEvents {
  std::function<void(int rank, int status)> on_abort;  // PMIx_Abort (MPI_Abort)
  std::function<void()> on_fence;                      // after each fence completes
  std::function<void(int rank)> on_spawn;              // PMIx_Spawn (MPI_Comm_spawn): refused
};

class PmixHost {
 public:
  static Result<std::unique_ptr<PmixHost>> Create(const PmixJob& job);
  virtual ~PmixHost() = default;
  // The variables a rank needs to reach the server (PMIx_server_setup_fork), plus the
  // resource-manager marker without which Open MPI 4.1 will not direct-launch.
  virtual Result<std::vector<std::string>> RankEnvironment(int rank) = 0;
  virtual void WatchEvents(Poller& poller, PmixEvents events) = 0;
  // "gantry.<job_id>".
  virtual std::string Namespace() const = 0;
  // True if `rank` connected (PMIx_Init) and has not called PMIx_Finalize. Asked when the
  // rank has exited: the finalize is acknowledged only on the loop thread, so a rank that
  // finalized has been counted before it could exit (pending upcalls are completed first).
  virtual bool ExitedWithoutFinalize(int rank) = 0;
};

}  // namespace gantry::launch
