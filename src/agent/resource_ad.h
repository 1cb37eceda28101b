// The agent's ClassAd: what the node offers (from hwloc and configuration) plus the
// operator's own attributes and START/Requirements/Rank. Pure.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "exec/node_resources.h"

namespace gantry::agent {

struct AdFacts {
  std::string name;      // agent name
  std::string hostname;
  std::string machine;   // uname -m, e.g. "x86_64"
  std::string site = "local";
  exec::NodeResources total;  // total.gpus: the device ids (advertised as a count, Gpus)
  std::vector<std::string> partitions;  // --partition; none: the server's default
  std::vector<std::string> features;    // --feature, matched by -C/--constraint
  std::vector<std::string> modules;     // Lmod modules under MODULEPATH ("gcc/12"), --modules
};

// Feature names as -C/--constraint writes them: letters, digits and _ - . : + =.
Status CheckFeatureName(const std::string& name);

// extra: the text of an ad file (new or old ClassAd syntax), "" for none. Its attributes
// override the built-in ones. Adds Partitions = {...} (when given), Features = {...}, and
// Modules = {"gcc/12", ...} with ModuleNames = {"gcc", ...} (module names that a ClassAd
// string cannot hold as they are are left out).
// Errors name the position in extra, or the bad feature or partition name.
Result<std::string> BuildResourceAd(const AdFacts& facts, const std::string& extra);

}  // namespace gantry::agent
