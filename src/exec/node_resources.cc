#include "exec/node_resources.h"

#include <hwloc.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "exec/cgroup.h"
#include "exec/gpus.h"

namespace gantry::exec {

Result<NodeResources> DiscoverNodeResources(const NodeResourcesOverride& override) {
  NodeResources resources;
  if (!override.cores || !override.memory_mb) {
    hwloc_topology_t topology;
    if (hwloc_topology_init(&topology) != 0) return Fail(Internal("hwloc_topology_init failed"));
    if (hwloc_topology_load(topology) != 0) {
      hwloc_topology_destroy(topology);
      return Fail(Internal("hwloc could not read this machine's topology"));
    }
    // hwloc leaves out PUs our cgroup cpuset disallows; sched_getaffinity may narrow further.
    hwloc_bitmap_t usable = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(topology));
    hwloc_bitmap_t bound = hwloc_bitmap_alloc();
    if (hwloc_get_cpubind(topology, bound, HWLOC_CPUBIND_PROCESS) == 0) {
      hwloc_bitmap_and(usable, usable, bound);
    }
    resources.cores = hwloc_bitmap_weight(usable);
    hwloc_uint64_t bytes = hwloc_get_root_obj(topology)->total_memory;
    hwloc_bitmap_free(bound);
    hwloc_bitmap_free(usable);
    hwloc_topology_destroy(topology);
    int64_t limit = OwnCgroupMemoryLimitBytes();
    if (limit > 0 && static_cast<hwloc_uint64_t>(limit) < bytes) bytes = limit;
    resources.memory_mb = static_cast<int64_t>(bytes / (1024 * 1024));
  }
  if (override.cores) resources.cores = *override.cores;
  if (override.memory_mb) resources.memory_mb = *override.memory_mb;
  resources.gpus = override.gpus ? *override.gpus : DiscoverNvidiaGpus();
  if (resources.cores <= 0 || resources.memory_mb <= 0) {
    return Fail(Internal("found no usable cores or memory (cores " +
                         std::to_string(resources.cores) + ", memory " +
                         std::to_string(resources.memory_mb) + " MB)"));
  }
  return resources;
}

void Reservation::Release() {
  if (ledger_ != nullptr) ledger_->Release(cores_, memory_mb_, gpus_);
  ledger_ = nullptr;
}

Reservation& Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    Release();
    ledger_ = std::exchange(other.ledger_, nullptr);
    cores_ = std::exchange(other.cores_, 0);
    memory_mb_ = std::exchange(other.memory_mb_, 0);
    gpus_ = std::exchange(other.gpus_, {});
  }
  return *this;
}

Reservation::~Reservation() { Release(); }

namespace {

// The ids of `total` not in `used` (both ascending).
std::vector<int> Unused(const std::vector<int>& total, const std::vector<int>& used) {
  std::vector<int> free;
  std::set_difference(total.begin(), total.end(), used.begin(), used.end(),
                      std::back_inserter(free));
  return free;
}

}  // namespace

Result<Reservation> NodeLedger::Reserve(int cores, int64_t memory_mb, int gpus) {
  if (cores < 0 || memory_mb < 0 || gpus < 0) {
    return Fail(InvalidArgument("cannot reserve negative cores, memory or GPUs"));
  }
  std::lock_guard lock(mu_);
  int free_cores = total_.cores - used_.cores;
  int64_t free_mb = total_.memory_mb - used_.memory_mb;
  std::vector<int> free_gpus = Unused(total_.gpus, used_.gpus);
  if (cores > free_cores || memory_mb > free_mb ||
      gpus > static_cast<int>(free_gpus.size())) {
    std::string gpu_words =
        gpus == 0 && total_.gpus.empty()
            ? ""
            : ", " + std::to_string(free_gpus.size()) + " of " +
                  std::to_string(total_.gpus.size()) + " GPUs";
    return Fail(ResourceExhausted(
        "need " + std::to_string(cores) + " cores and " + std::to_string(memory_mb) + " MB" +
        (gpus ? " and " + std::to_string(gpus) + " GPUs" : "") + "; free now: " +
        std::to_string(free_cores) + " of " + std::to_string(total_.cores) + " cores, " +
        std::to_string(free_mb) + " of " + std::to_string(total_.memory_mb) + " MB" +
        gpu_words));
  }
  used_.cores += cores;
  used_.memory_mb += memory_mb;
  std::vector<int> taken(free_gpus.begin(), free_gpus.begin() + gpus);
  used_.gpus.insert(used_.gpus.end(), taken.begin(), taken.end());
  std::sort(used_.gpus.begin(), used_.gpus.end());
  return Reservation(this, cores, memory_mb, std::move(taken));
}

NodeResources NodeLedger::Free() const {
  std::lock_guard lock(mu_);
  return {total_.cores - used_.cores, total_.memory_mb - used_.memory_mb,
          Unused(total_.gpus, used_.gpus)};
}

void NodeLedger::Release(int cores, int64_t memory_mb, const std::vector<int>& gpus) {
  std::lock_guard lock(mu_);
  used_.cores -= cores;
  used_.memory_mb -= memory_mb;
  std::vector<int> kept = Unused(used_.gpus, gpus);
  used_.gpus = std::move(kept);
}

}  // namespace gantry::exec
