#include "launch/topology.h"

#include <fcntl.h>
#include <hwloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace gantry::launch {

Result<std::unique_ptr<Topology>> Topology::Discover() {
  hwloc_topology_t topology;
  if (hwloc_topology_init(&topology) != 0) return Fail(Internal("hwloc_topology_init failed"));
  if (hwloc_topology_load(topology) != 0) {
    hwloc_topology_destroy(topology);
    return Fail(Internal("hwloc could not discover this machine's topology"));
  }
  char* buffer = nullptr;
  int length = 0;
  int rc = hwloc_topology_export_xmlbuffer(topology, &buffer, &length, 0);
  if (rc != 0 || buffer == nullptr) {
    hwloc_topology_destroy(topology);
    return Fail(Internal("hwloc could not export XML"));
  }
  // length counts the terminating NUL.
  std::string xml(buffer, length > 0 ? static_cast<size_t>(length - 1) : 0);
  hwloc_free_xmlbuffer(topology, buffer);
  int fd = memfd_create("gantry-topology.xml", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    hwloc_topology_destroy(topology);
    return Fail(ErrnoError("memfd_create for the topology", errno));
  }
  size_t done = 0;
  while (done < xml.size()) {
    ssize_t n = write(fd, xml.data() + done, xml.size() - done);
    if (n <= 0) {
      int err = errno;
      close(fd);
      hwloc_topology_destroy(topology);
      return Fail(ErrnoError("writing the topology", err));
    }
    done += static_cast<size_t>(n);
  }
  // Ranks open it read-only through /proc; the seals keep a rank from changing it for others.
  fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  return std::unique_ptr<Topology>(new Topology(std::move(xml), fd, topology));
}

Topology::~Topology() {
  close(fd_);
  hwloc_topology_destroy(static_cast<hwloc_topology_t>(topology_));
}

}  // namespace gantry::launch
