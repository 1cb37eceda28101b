// What this node can give to jobs, and the ledger that keeps the agent from over-committing it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "base/error.h"

namespace gantry::exec {

struct NodeResources {
  int cores = 0;          // logical PUs we may run on (cpuset and affinity respected)
  int64_t memory_mb = 0;  // physical memory, capped by our own cgroup's memory limit
  std::vector<int> gpus;  // GPU device ids (ascending): declared, or found by nvidia-smi
};

// Values that replace discovery (config or tests); unset fields are discovered.
struct NodeResourcesOverride {
  std::optional<int> cores;
  std::optional<int64_t> memory_mb;
  std::optional<std::vector<int>> gpus;  // declared devices; unset: ask nvidia-smi
};

// Asks hwloc for the PUs in our allowed cpuset and CPU binding, and the machine's memory;
// nvidia-smi for GPUs.
// Thread-safe.
Result<NodeResources> DiscoverNodeResources(const NodeResourcesOverride& override = {});

class NodeLedger;

// Cores, memory and GPU devices held for one attempt; given back when destroyed. Movable, thread-compatible;
// must not outlive its ledger.
class Reservation {
 public:
  Reservation() = default;
  Reservation(Reservation&& other) noexcept { *this = std::move(other); }
  Reservation& operator=(Reservation&& other) noexcept;
  ~Reservation();
  int cores() const { return cores_; }
  int64_t memory_mb() const { return memory_mb_; }
  const std::vector<int>& gpus() const { return gpus_; }  // the device ids held

 private:
  friend class NodeLedger;
  Reservation(NodeLedger* ledger, int cores, int64_t memory_mb, std::vector<int> gpus)
      : ledger_(ledger), cores_(cores), memory_mb_(memory_mb), gpus_(std::move(gpus)) {}
  void Release();
  NodeLedger* ledger_ = nullptr;
  int cores_ = 0;
  int64_t memory_mb_ = 0;
  std::vector<int> gpus_;
};

// Counts what running attempts hold so the agent never promises more than the node has.
// Thread-safe (one mutex).
class NodeLedger {
 public:
  explicit NodeLedger(NodeResources total) : total_(total) {}
  // ResourceExhausted (saying what is short) if the request does not fit in what is free now.
  // GPUs are whole devices: the lowest free ids are taken.
  Result<Reservation> Reserve(int cores, int64_t memory_mb, int gpus = 0);
  NodeResources Free() const;  // gpus: the free device ids
  NodeResources total() const { return total_; }

 private:
  friend class Reservation;
  void Release(int cores, int64_t memory_mb, const std::vector<int>& gpus);
  const NodeResources total_;
  mutable std::mutex mu_;
  NodeResources used_;  // GUARDED_BY(mu_); gpus: the device ids held
};

}  // namespace gantry::exec
