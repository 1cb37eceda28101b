#include "launch/poller.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>

#include "base/check.h"

namespace gantry::launch {
namespace {

uint32_t ToEpoll(short events) {
  return ((events & POLLIN) ? EPOLLIN : 0u) | ((events & POLLOUT) ? EPOLLOUT : 0u);
}

short FromEpoll(uint32_t events) {
  short out = 0;
  if (events & EPOLLIN) out |= POLLIN;
  if (events & EPOLLOUT) out |= POLLOUT;
  if (events & EPOLLHUP) out |= POLLHUP;
  if (events & EPOLLERR) out |= POLLERR;
  return out;
}

}  // namespace

Poller::Poller() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) { GANTRY_CHECK(epoll_fd_ >= 0); }

Poller::~Poller() { close(epoll_fd_); }

void Poller::Watch(int fd, short events, Callback callback) {
  epoll_event event{};
  event.events = ToEpoll(events);
  event.data.fd = fd;
  const bool known = watches_.contains(fd);
  if (epoll_ctl(epoll_fd_, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0) {
    // Regular files and /dev/null cannot be watched by epoll; they are always ready.
    // Callers only watch pipes, sockets, eventfds and signalfds, except stdin.
    if (errno == EPERM) {
      watches_[fd] = Entry{events, std::move(callback)};
      always_ready_.insert(fd);
    }
    return;
  }
  watches_[fd] = Entry{events, std::move(callback)};
}

void Poller::SetEvents(int fd, short events) {
  auto it = watches_.find(fd);
  if (it == watches_.end() || it->second.events == events) return;
  it->second.events = events;
  if (always_ready_.contains(fd)) return;
  epoll_event event{};
  event.events = ToEpoll(events);
  event.data.fd = fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
}

void Poller::Unwatch(int fd) {
  if (watches_.erase(fd) == 0) return;
  if (always_ready_.erase(fd) == 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

Status Poller::RunOnce(int timeout_ms) {
  epoll_event events[64];
  // Always-ready fds (stdin redirected from a file) must not block the wait.
  int n = epoll_wait(epoll_fd_, events, 64, always_ready_.empty() ? timeout_ms : 0);
  if (n < 0) {
    if (errno == EINTR) return {};
    return Fail(ErrnoError("epoll_wait", errno));
  }
  auto run = [this](int fd, short revents) {
    // A callback may have unwatched (or replaced) this fd: look it up again.
    auto it = watches_.find(fd);
    if (it == watches_.end()) return;
    Callback callback = it->second.callback;
    callback(revents);
  };
  for (int i = 0; i < n; ++i) run(events[i].data.fd, FromEpoll(events[i].events));
  if (!always_ready_.empty()) {
    std::set<int> ready = always_ready_;
    for (int fd : ready) run(fd, POLLIN);
  }
  return {};
}

}  // namespace gantry::launch
