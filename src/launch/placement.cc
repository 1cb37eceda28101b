#include "launch/placement.h"

#include <set>

namespace gantry::launch {

Result<Placement> BlockPlacement(int size, int ppn, const std::vector<std::string>& hosts) {
  if (size < 1) return Fail(InvalidArgument("-n must be at least 1 (got " +
                                            std::to_string(size) + ")"));
  if (ppn < 0) return Fail(InvalidArgument("--ppn must be positive"));
  if (hosts.empty()) return Fail(InvalidArgument("no hosts to place ranks on"));
  int nodes;
  if (ppn == 0) {
    nodes = std::min<int>(size, static_cast<int>(hosts.size()));
    ppn = (size + nodes - 1) / nodes;
  } else {
    nodes = (size + ppn - 1) / ppn;
    // Standalone (one host) may emulate nodes; with several hosts each node is a host.
    if (hosts.size() > 1 && nodes > static_cast<int>(hosts.size())) {
      return Fail(InvalidArgument(std::to_string(size) + " ranks at --ppn " +
                                  std::to_string(ppn) + " need " + std::to_string(nodes) +
                                  " nodes; the allocation has " + std::to_string(hosts.size())));
    }
  }
  Placement placement;
  placement.size = size;
  for (int node = 0, rank = 0; node < nodes && rank < size; ++node) {
    NodePlan plan;
    plan.host = hosts[static_cast<size_t>(node) % hosts.size()];
    for (int i = 0; i < ppn && rank < size; ++i) plan.ranks.push_back(rank++);
    placement.nodes.push_back(std::move(plan));
  }
  return placement;
}

bool NodesShareAHost(const Placement& placement) {
  std::set<std::string> hosts;
  for (const NodePlan& node : placement.nodes) {
    if (!hosts.insert(node.host).second) return true;
  }
  return false;
}

std::string ProcessMapping(const Placement& placement) {
  // Runs of consecutive nodes with the same number of ranks collapse into one triple.
  std::string out = "(vector";
  size_t i = 0;
  while (i < placement.nodes.size()) {
    size_t count = placement.nodes[i].ranks.size();
    size_t j = i;
    while (j < placement.nodes.size() && placement.nodes[j].ranks.size() == count) ++j;
    out += ",(" + std::to_string(i) + "," + std::to_string(j - i) + "," +
           std::to_string(count) + ")";
    i = j;
  }
  return out + ")";
}

}  // namespace gantry::launch
