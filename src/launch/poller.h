// Poller: a small epoll(7) loop (cost per wait grows with ready fds, not watched fds: a
// 128-rank launch watches ~400). Callbacks run on the thread that calls RunOnce.
// Loop-thread only.
#pragma once

#include <poll.h>

#include <functional>
#include <map>
#include <set>

#include "base/error.h"

namespace gantry::launch {

class Poller {
 public:
  // `revents` uses poll(2)'s bits: POLLIN, POLLOUT, POLLHUP, POLLERR.
  using Callback = std::function<void(short revents)>;

  Poller();
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Replaces any earlier watch on fd. `events` is POLLIN and/or POLLOUT.
  void Watch(int fd, short events, Callback callback);
  void SetEvents(int fd, short events);
  void Unwatch(int fd);
  bool empty() const { return watches_.empty(); }
  // Waits up to timeout_ms (-1: forever) and runs the callbacks of ready fds.
  Status RunOnce(int timeout_ms);

 private:
  struct Entry {
    short events;
    Callback callback;
  };
  int epoll_fd_;
  std::map<int, Entry> watches_;
  std::set<int> always_ready_;  // watched fds epoll refuses (regular files)
};

}  // namespace gantry::launch
