// The agent's ClassAd: what the node offers (from hwloc and configuration) plus the
// operator's own attributes and START/Requirements/Rank. Pure.
#pragma once

#include <string>

#include "base/error.h"
#include "exec/node_resources.h"

namespace gantry::agent {

struct AdFacts {
  std::string name;      // agent name
  std::string hostname;
  std::string machine;   // uname -m, e.g. "x86_64"
  std::string site = "local";
  exec::NodeResources total;
  int64_t gpus = 0;
};

// extra: the text of an ad file (new or old ClassAd syntax), "" for none. Its attributes
// override the built-in ones. Errors name the position in extra.
Result<std::string> BuildResourceAd(const AdFacts& facts, const std::string& extra);

}  // namespace gantry::agent
