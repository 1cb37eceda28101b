#include "launch/poller.h"

#include <cerrno>
#include <vector>

namespace gantry::launch {

void Poller::Watch(int fd, short events, Callback callback) {
  watches_[fd] = Watch_{events, std::move(callback)};
}

void Poller::SetEvents(int fd, short events) {
  auto it = watches_.find(fd);
  if (it != watches_.end()) it->second.events = events;
}

void Poller::Unwatch(int fd) { watches_.erase(fd); }

Status Poller::RunOnce(int timeout_ms) {
  std::vector<pollfd> fds;
  fds.reserve(watches_.size());
  for (const auto& [fd, w] : watches_) fds.push_back(pollfd{fd, w.events, 0});
  int n = poll(fds.data(), fds.size(), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return {};
    return Fail(ErrnoError("poll", errno));
  }
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    // A callback may have unwatched (or replaced) this fd: look it up again.
    auto it = watches_.find(p.fd);
    if (it == watches_.end()) continue;
    Callback callback = it->second.callback;
    callback(p.revents);
  }
  return {};
}

}  // namespace gantry::launch
