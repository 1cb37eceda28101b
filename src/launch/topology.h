// Node topology, discovered once per node with hwloc and handed to every rank so that ranks
// do not each rediscover it (HWLOC_XMLFILE, PMIx topology keys). Thread-compatible.
#pragma once

#include <memory>
#include <string>

#include "base/error.h"

namespace gantry::launch {

class Topology {
 public:
  // Discovers this machine and exports it as hwloc XML into a sealed memfd.
  static Result<std::unique_ptr<Topology>> Discover();
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  const std::string& xml() const { return xml_; }
  // Close-on-exec memfd holding xml(); a rank that inherits it reads /proc/self/fd/<fd>.
  int fd() const { return fd_; }
  std::string RankPath() const { return "/proc/self/fd/" + std::to_string(fd_); }
  // The loaded hwloc_topology_t, for libraries that take one (the PMIx server).
  void* hwloc_topology() const { return topology_; }

 private:
  Topology(std::string xml, int fd, void* topology)
      : xml_(std::move(xml)), fd_(fd), topology_(topology) {}
  std::string xml_;
  int fd_;
  void* topology_;
};

}  // namespace gantry::launch
