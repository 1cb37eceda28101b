#include "launch/job_exchange.h"

namespace gantry::launch {

Status JobExchange::Contribute(int node, uint64_t epoch, std::vector<pmi::KeyValue> pairs) {
  if (node < 0 || node >= nodes_) {
    return Fail(InvalidArgument("node " + std::to_string(node) + " is not part of this job"));
  }
  Round& round = rounds_[epoch];
  if (round.arrived.empty()) round.arrived.assign(static_cast<size_t>(nodes_), false);
  if (round.arrived[node]) {
    return Fail(FailedPrecondition("node " + std::to_string(node) + " entered barrier " +
                                   std::to_string(epoch) + " twice"));
  }
  round.arrived[node] = true;
  ++round.count;
  if (round.pairs.empty()) {
    round.pairs = std::move(pairs);
  } else {
    round.pairs.insert(round.pairs.end(), std::make_move_iterator(pairs.begin()),
                       std::make_move_iterator(pairs.end()));
  }
  if (round.count < nodes_) return {};
  std::vector<pmi::KeyValue> all = std::move(round.pairs);
  rounds_.erase(epoch);
  for (int n = 0; n < nodes_; ++n) deliver_(n, epoch, all);
  return {};
}

}  // namespace gantry::launch
