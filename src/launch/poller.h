// Poller: a small poll(2) loop. Callbacks run on the thread that calls RunOnce.
// Loop-thread only.
#pragma once

#include <poll.h>

#include <functional>
#include <map>

#include "base/error.h"

namespace gantry::launch {

class Poller {
 public:
  // `revents` is what poll(2) reported (POLLIN, POLLOUT, POLLHUP, POLLERR).
  using Callback = std::function<void(short revents)>;

  // Replaces any earlier watch on fd.
  void Watch(int fd, short events, Callback callback);
  void SetEvents(int fd, short events);
  void Unwatch(int fd);
  bool empty() const { return watches_.empty(); }
  // Waits up to timeout_ms (-1: forever) and runs the callbacks of ready fds.
  Status RunOnce(int timeout_ms);

 private:
  struct Watch_ {
    short events;
    Callback callback;
  };
  std::map<int, Watch_> watches_;
};

}  // namespace gantry::launch
