// JobExchange: the job-wide half of a PMI barrier. Each node part contributes the pairs put
// on its node; when every node has contributed to an epoch, all pairs go back to every node.
// Standalone the node parts call it directly; across machines an agent transport would carry
// Contribute/Deliver as messages. Pure; loop-thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "base/error.h"
#include "pmi/simple_server.h"

namespace gantry::launch {

class JobExchange {
 public:
  using Deliver =
      std::function<void(int node, uint64_t epoch, const std::vector<pmi::KeyValue>& pairs)>;
  JobExchange(int nodes, Deliver deliver) : nodes_(nodes), deliver_(std::move(deliver)) {}

  // An error if a node contributes twice to one epoch.
  Status Contribute(int node, uint64_t epoch, std::vector<pmi::KeyValue> pairs);

 private:
  struct Round {
    std::vector<bool> arrived;
    int count = 0;
    std::vector<pmi::KeyValue> pairs;
  };
  int nodes_;
  Deliver deliver_;
  std::map<uint64_t, Round> rounds_;
};

}  // namespace gantry::launch
