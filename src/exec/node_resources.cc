#include "exec/node_resources.h"

#include <hwloc.h>

#include <utility>

#include "exec/cgroup.h"

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
  if (resources.cores <= 0 || resources.memory_mb <= 0) {
    return Fail(Internal("found no usable cores or memory (cores " +
                         std::to_string(resources.cores) + ", memory " +
                         std::to_string(resources.memory_mb) + " MB)"));
  }
  return resources;
}

Reservation& Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    if (ledger_ != nullptr) ledger_->Release(cores_, memory_mb_);
    ledger_ = std::exchange(other.ledger_, nullptr);
    cores_ = std::exchange(other.cores_, 0);
    memory_mb_ = std::exchange(other.memory_mb_, 0);
  }
  return *this;
}

Reservation::~Reservation() {
  if (ledger_ != nullptr) ledger_->Release(cores_, memory_mb_);
}

Result<Reservation> NodeLedger::Reserve(int cores, int64_t memory_mb) {
  if (cores < 0 || memory_mb < 0) {
    return Fail(InvalidArgument("cannot reserve negative cores or memory"));
  }
  std::lock_guard lock(mu_);
  int free_cores = total_.cores - used_.cores;
  int64_t free_mb = total_.memory_mb - used_.memory_mb;
  if (cores > free_cores || memory_mb > free_mb) {
    return Fail(ResourceExhausted(
        "need " + std::to_string(cores) + " cores and " + std::to_string(memory_mb) +
        " MB; free now: " + std::to_string(free_cores) + " of " + std::to_string(total_.cores) +
        " cores, " + std::to_string(free_mb) + " of " + std::to_string(total_.memory_mb) + " MB"));
  }
  used_.cores += cores;
  used_.memory_mb += memory_mb;
  return Reservation(this, cores, memory_mb);
}

NodeResources NodeLedger::Free() const {
  std::lock_guard lock(mu_);
  return {total_.cores - used_.cores, total_.memory_mb - used_.memory_mb};
}

void NodeLedger::Release(int cores, int64_t memory_mb) {
  std::lock_guard lock(mu_);
  used_.cores -= cores;
  used_.memory_mb -= memory_mb;
}

}  // namespace gantry::exec
