// What this node can give to jobs, and the ledger that keeps the agent from over-committing it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

#include "base/error.h"

namespace gantry::exec {

struct NodeResources {
  int cores = 0;          // logical PUs we may run on (cpuset and affinity respected)
  int64_t memory_mb = 0;  // physical memory, capped by our own cgroup's memory limit
};

// Values that replace discovery (config or tests); unset fields are discovered.
struct NodeResourcesOverride {
  std::optional<int> cores;
  std::optional<int64_t> memory_mb;
};

// Asks hwloc for the PUs in our allowed cpuset and CPU binding, and the machine's memory.
// Thread-safe.
Result<NodeResources> DiscoverNodeResources(const NodeResourcesOverride& override = {});

class NodeLedger;

// Cores and memory held for one attempt; given back when destroyed. Movable, thread-compatible;
// must not outlive its ledger.
class Reservation {
 public:
  Reservation() = default;
  Reservation(Reservation&& other) noexcept { *this = std::move(other); }
  Reservation& operator=(Reservation&& other) noexcept;
  ~Reservation();
  int cores() const { return cores_; }
  int64_t memory_mb() const { return memory_mb_; }

 private:
  friend class NodeLedger;
  Reservation(NodeLedger* ledger, int cores, int64_t memory_mb)
      : ledger_(ledger), cores_(cores), memory_mb_(memory_mb) {}
  NodeLedger* ledger_ = nullptr;
  int cores_ = 0;
  int64_t memory_mb_ = 0;
};

// Counts what running attempts hold so the agent never promises more than the node has.
// Thread-safe (one mutex).
class NodeLedger {
 public:
  explicit NodeLedger(NodeResources total) : total_(total) {}
  // ResourceExhausted (saying what is short) if the request does not fit in what is free now.
  Result<Reservation> Reserve(int cores, int64_t memory_mb);
  NodeResources Free() const;
  NodeResources total() const { return total_; }

 private:
  friend class Reservation;
  void Release(int cores, int64_t memory_mb);
  const NodeResources total_;
  mutable std::mutex mu_;
  NodeResources used_;  // GUARDED_BY(mu_)
};

}  // namespace gantry::exec
