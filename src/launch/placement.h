// Placement: which ranks run on which node, and the PMI_process_mapping string MPICH reads.
// Pure value types and functions: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::launch {

struct NodePlan {
  std::string host;        // where the node part runs ("localhost" standalone)
  std::vector<int> ranks;  // global ranks on this node, ascending
};

struct Placement {
  int size = 0;
  std::vector<NodePlan> nodes;
};

// Block placement: ranks 0..ppn-1 on the first node, and so on. ppn == 0 means "all ranks
// on one node per host, spread evenly". Standalone runs pass hosts = {"localhost"} and a ppn
// below size to emulate several nodes on one machine (each node part then has its own
// shared-memory store, as on a real cluster).
Result<Placement> BlockPlacement(int size, int ppn, const std::vector<std::string>& hosts);

// True when two nodes of the placement run on one host (standalone --ppn below -n).
bool NodesShareAHost(const Placement& placement);

// MPICH's PMI_process_mapping: "(vector,(first_node,node_count,ranks_per_node),...)".
// Without it MPICH falls back to an O(N^2) exchange of host names.
std::string ProcessMapping(const Placement& placement);

}  // namespace gantry::launch
