// The ProcessSupervisor implementation: one reaper thread around an epoll set.
//
// Epoll keys (epoll_event.data.u64): the top byte is the kind, the rest a job handle or fd.
// Every job field is guarded by mu_. In subreaper mode spawn_mu_ is held shared by Start from
// clone() until the job is registered, and exclusively by the thread around wait4(-1): a child
// that exits at once must not be reaped as an unknown orphan before Start has recorded it.
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/check.h"
#include "base/log.h"
#include "exec/process_supervisor.h"
#include "exec/process_tree.h"
#include "exec/spawner.h"

namespace gantry::exec {
namespace {

// Raw syscalls: glibc 2.36's <sys/pidfd.h> lacks extern "C" and cannot be used from C++.
int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int PidfdSendSignal(int pidfd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

constexpr uint64_t kKindShift = 56;
enum Kind : uint64_t { kWake = 1, kTimer = 2, kMain = 3, kTree = 4 };
constexpr uint64_t Key(Kind kind, uint64_t value) { return (uint64_t{kind} << kKindShift) | value; }

// The subreaper attribute is process-wide, so only one supervisor may own it.
std::atomic<bool> subreaper_taken{false};

int64_t MonotonicMicros() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

// Deadlines are built from limits the user chose: they saturate at "never" instead of
// wrapping into the past (a 10^13 s limit used to kill the job at once). Both are >= 0.
int64_t SecondsToMicros(int64_t seconds) {
  int64_t micros;
  return __builtin_mul_overflow(seconds, 1'000'000, &micros) ? INT64_MAX : micros;
}

int64_t Deadline(int64_t now, int64_t micros) {
  int64_t at;
  return __builtin_add_overflow(now, micros, &at) ? INT64_MAX : at;
}

double Seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

struct Job {
  ProcessHandle id = 0;
  pid_t pid = -1;  // also the process group id (the child called setsid)
  int pidfd = -1;
  bool running = true;  // false once the main process has been reaped: draining
  ProcessSupervisor::ExitCallback on_exit;
  std::unique_ptr<JobCgroup> cgroup;
  int64_t started_at = 0;
  int64_t term_at = 0;  // monotonic micros; 0 = not scheduled
  int64_t kill_at = 0;
  int64_t grace_micros = 0;
  int draining_fds = 0;
  int drain_rounds = 0;
  ExitStatus status;
};

class SupervisorImpl final : public ProcessSupervisor {
 public:
  SupervisorImpl(Options options, CgroupMode mode, std::unique_ptr<CgroupManager> cgroups)
      : options_(options), mode_(mode), cgroups_(std::move(cgroups)) {}
  ~SupervisorImpl() override { Shutdown(); }

  Status Init();
  Result<ProcessHandle> Start(const SpawnRequest& request, ExitCallback on_exit) override;
  Status Kill(ProcessHandle handle, KillMode mode) override;
  void Shutdown() override;
  CgroupMode cgroup_mode() const override { return mode_; }
  size_t ActiveCount() const override {
    std::lock_guard lock(mu_);
    return jobs_.size();
  }

 private:
  // What a turn of the loop hands on once mu_ is released: exits to report, then emptied
  // cgroups to reset for the pool (after the reports, which free the cores sooner).
  struct Ready {
    std::vector<std::pair<ExitCallback, ExitStatus>> exits;
    std::vector<std::unique_ptr<JobCgroup>> groups;
  };
  void Loop();
  void HandleEvent(uint64_t key, Ready& ready);
  void ReapMain(Job& job, Ready& ready);
  void ReapAllChildren(Ready& ready);
  void MainExited(Job& job, int wait_status, const rusage& usage, Ready& ready);
  void Drain(Job& job, Ready& ready);
  void Finish(Job& job, Ready& ready);
  void SignalTree(Job& job, int sig);
  void Schedule(int64_t when, ProcessHandle id);
  void FireTimers(Ready& ready);
  void ArmTimer();

  const Options options_;
  const CgroupMode mode_;
  std::unique_ptr<CgroupManager> cgroups_;
  int epoll_fd_ = -1, wake_fd_ = -1, timer_fd_ = -1;
  std::thread thread_;
  std::atomic<ProcessHandle> next_id_{1};
  std::shared_mutex spawn_mu_;
  mutable std::mutex mu_;
  bool stopping_ = false;                               // GUARDED_BY(mu_)
  bool stopped_ = false;                                // GUARDED_BY(mu_)
  std::unordered_map<ProcessHandle, Job> jobs_;         // GUARDED_BY(mu_)
  std::unordered_map<pid_t, ProcessHandle> by_pid_;     // GUARDED_BY(mu_), running mains
  std::unordered_map<int, ProcessHandle> drain_owner_;  // GUARDED_BY(mu_), tree pidfd -> job
  std::set<std::pair<int64_t, ProcessHandle>> timers_;  // GUARDED_BY(mu_)
  int64_t armed_at_ = 0;                                // GUARDED_BY(mu_)
};

Status SupervisorImpl::Init() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (epoll_fd_ < 0 || wake_fd_ < 0 || timer_fd_ < 0) {
    return Fail(ErrnoError("cannot create the supervisor's event descriptors", errno));
  }
  epoll_event wake = {EPOLLIN, {.u64 = Key(kWake, 0)}};
  epoll_event timer = {EPOLLIN, {.u64 = Key(kTimer, 0)}};
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &timer);
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "gantry-reaper");
  return {};
}

Result<ProcessHandle> SupervisorImpl::Start(const SpawnRequest& request, ExitCallback on_exit) {
  if (request.time_limit_seconds < 0 || request.memory_limit_bytes < 0 ||
      request.kill_grace_seconds < 0) {
    return Fail(InvalidArgument("time limit, memory limit and kill grace must not be negative"));
  }
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Fail(FailedPrecondition("the process supervisor is shutting down"));
  }
  ProcessHandle id = next_id_.fetch_add(1);
  std::unique_ptr<JobCgroup> cgroup;
  SpawnSetup setup;
  if (cgroups_ != nullptr) {
    GANTRY_ASSIGN_OR_RETURN(cgroup, cgroups_->Acquire(request.memory_limit_bytes));
    setup.cgroup_procs_path = cgroup->procs_path();
  } else {
    setup.address_space_limit = request.memory_limit_bytes;
  }
  int64_t started_at = MonotonicMicros();
  std::shared_lock spawn_lock(spawn_mu_, std::defer_lock);
  if (options_.subreaper) spawn_lock.lock();
  GANTRY_ASSIGN_OR_RETURN(SpawnedProcess spawned, SpawnProcess(request, setup));

  std::lock_guard lock(mu_);
  if (stopping_) {
    // Shutdown() ran while we were spawning, and the reaper may be gone: undo it all here.
    kill(-spawned.pid, SIGKILL);
    if (cgroup != nullptr) {
      for (pid_t pid : cgroup->ReadPids().value_or(std::vector<pid_t>{})) kill(pid, SIGKILL);
    }
    while (waitpid(spawned.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    close(spawned.pidfd);
    return Fail(FailedPrecondition("the process supervisor is shutting down"));
  }
  Job& job = jobs_[id];
  job.id = id;
  job.pid = spawned.pid;
  job.pidfd = spawned.pidfd;
  job.on_exit = std::move(on_exit);
  job.cgroup = std::move(cgroup);
  job.started_at = started_at;
  job.grace_micros = SecondsToMicros(request.kill_grace_seconds);
  job.status.time_limit_seconds = request.time_limit_seconds;
  job.status.memory_limit_bytes = request.memory_limit_bytes;
  by_pid_[spawned.pid] = id;
  if (request.time_limit_seconds > 0) {
    job.term_at = Deadline(started_at, SecondsToMicros(request.time_limit_seconds));
    Schedule(job.term_at, id);
  }
  epoll_event event = {EPOLLIN, {.u64 = Key(kMain, id)}};
  GANTRY_CHECK(epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, spawned.pidfd, &event) == 0);
  return id;
}

Status SupervisorImpl::Kill(ProcessHandle handle, KillMode mode) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(handle);
  if (it == jobs_.end()) {
    return Fail(NotFound("no running process with handle " + std::to_string(handle)));
  }
  Job& job = it->second;
  if (!job.running) return {};  // already being torn down
  job.status.cancelled = true;
  if (mode == KillMode::kKillNow) {
    SignalTree(job, SIGKILL);
    return {};
  }
  SignalTree(job, SIGTERM);
  int64_t kill_at = Deadline(MonotonicMicros(), job.grace_micros);
  if (job.kill_at == 0 || kill_at < job.kill_at) {
    job.kill_at = kill_at;
    Schedule(kill_at, handle);
  }
  return {};
}

void SupervisorImpl::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    GANTRY_CHECK(!thread_.joinable() || thread_.get_id() != std::this_thread::get_id());
    stopping_ = true;
    for (auto& [id, job] : jobs_) {
      if (!job.running) continue;
      job.status.cancelled = true;
      SignalTree(job, SIGKILL);
    }
    stopped_ = true;
  }
  uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof one) < 0) LogWarning("cannot wake the reaper thread");
  if (thread_.joinable()) thread_.join();
  for (int fd : {epoll_fd_, wake_fd_, timer_fd_}) {
    if (fd >= 0) close(fd);
  }
  epoll_fd_ = wake_fd_ = timer_fd_ = -1;
  cgroups_.reset();
  if (options_.subreaper) {
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    subreaper_taken = false;
  }
}

void SupervisorImpl::Loop() {
  epoll_event events[64];
  while (true) {
    int n = epoll_wait(epoll_fd_, events, 64, -1);
    if (n < 0 && errno != EINTR) {
      LogError(std::string("epoll_wait failed: ") + strerror(errno));
    }
    Ready ready;
    bool done = false;
    {
      std::unique_lock spawn_lock(spawn_mu_, std::defer_lock);
      if (options_.subreaper) spawn_lock.lock();
      std::lock_guard lock(mu_);
      for (int i = 0; i < n; ++i) HandleEvent(events[i].data.u64, ready);
      if (options_.subreaper) ReapAllChildren(ready);
      FireTimers(ready);
      done = stopping_ && jobs_.empty();
    }
    for (auto& [callback, status] : ready.exits) {
      if (callback) callback(status);
    }
    for (auto& group : ready.groups) cgroups_->Release(std::move(group));
    if (done) return;
  }
}

void SupervisorImpl::HandleEvent(uint64_t key, Ready& ready) {
  uint64_t value = key & ((uint64_t{1} << kKindShift) - 1);
  switch (static_cast<Kind>(key >> kKindShift)) {
    case kWake: {
      uint64_t count;
      (void)!read(wake_fd_, &count, sizeof count);
      break;
    }
    case kTimer: {
      uint64_t expirations;
      (void)!read(timer_fd_, &expirations, sizeof expirations);
      armed_at_ = 0;
      break;
    }
    case kMain: {
      auto it = jobs_.find(value);
      if (it != jobs_.end() && it->second.running && !options_.subreaper) {
        ReapMain(it->second, ready);
      }
      break;
    }
    case kTree: {
      int fd = static_cast<int>(value);
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      close(fd);
      auto owner = drain_owner_.find(fd);
      if (owner == drain_owner_.end()) break;
      auto it = jobs_.find(owner->second);
      drain_owner_.erase(owner);
      if (it == jobs_.end()) break;
      if (--it->second.draining_fds == 0) Drain(it->second, ready);
      break;
    }
  }
}

void SupervisorImpl::ReapMain(Job& job, Ready& ready) {
  int wait_status = 0;
  rusage usage = {};
  pid_t pid;
  do {
    pid = wait4(job.pid, &wait_status, WNOHANG, &usage);
  } while (pid < 0 && errno == EINTR);
  if (pid == job.pid) MainExited(job, wait_status, usage, ready);
}

void SupervisorImpl::ReapAllChildren(Ready& ready) {
  while (true) {
    int wait_status = 0;
    rusage usage = {};
    pid_t pid = wait4(-1, &wait_status, WNOHANG, &usage);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) return;
    auto it = by_pid_.find(pid);
    if (it == by_pid_.end()) continue;  // an orphaned descendant re-parented to us: reaped
    MainExited(jobs_.at(it->second), wait_status, usage, ready);
  }
}

void SupervisorImpl::MainExited(Job& job, int wait_status, const rusage& usage, Ready& ready) {
  ExitStatus& s = job.status;
  ExitStatus ended = FromWaitStatus(wait_status);
  s.exit_code = ended.exit_code;
  s.signal = ended.signal;
  s.core_dumped = ended.core_dumped;
  s.usage.user_cpu_seconds = Seconds(usage.ru_utime);
  s.usage.system_cpu_seconds = Seconds(usage.ru_stime);
  s.usage.max_rss_kb = usage.ru_maxrss;
  s.usage.wall_seconds = static_cast<double>(MonotonicMicros() - job.started_at) / 1e6;
  by_pid_.erase(job.pid);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, job.pidfd, nullptr);
  close(job.pidfd);
  job.pidfd = -1;
  job.running = false;
  Drain(job, ready);
}

// Kills what is left of the tree and waits (via pidfds in the epoll set) until it is gone.
// Re-reads the member list after each round: a process may have forked before it died.
void SupervisorImpl::Drain(Job& job, Ready& ready) {
  constexpr int kMaxRounds = 1000;
  while (job.drain_rounds++ < kMaxRounds) {
    std::vector<pid_t> members;
    if (job.cgroup != nullptr) {
      members = job.cgroup->ReadPids().value_or(std::vector<pid_t>{});
    } else {
      members = ProcessGroupMembers(job.pid);
    }
    if (members.empty()) return Finish(job, ready);
    if (job.cgroup != nullptr) job.cgroup->KillAll();
    for (pid_t pid : members) {
      int fd = PidfdOpen(pid);
      if (fd < 0) continue;
      PidfdSendSignal(fd, SIGKILL);
      epoll_event event = {EPOLLIN, {.u64 = Key(kTree, static_cast<uint64_t>(fd))}};
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
      drain_owner_[fd] = job.id;
      ++job.draining_fds;
    }
    if (job.draining_fds > 0) return;
  }
  LogWarning("attempt " + std::to_string(job.id) + ": processes keep appearing; giving up");
  Finish(job, ready);
}

void SupervisorImpl::Finish(Job& job, Ready& ready) {
  if (job.cgroup != nullptr) {
    job.status.usage.peak_memory_kb = job.cgroup->PeakMemoryBytes() / 1024;
    job.status.oom_killed =
        job.cgroup->OomKilled() && (job.status.signal == SIGKILL || job.status.exit_code != 0);
    ready.groups.push_back(std::move(job.cgroup));
  }
  ready.exits.emplace_back(std::move(job.on_exit), job.status);
  jobs_.erase(job.id);
}

void SupervisorImpl::SignalTree(Job& job, int sig) {
  // The main process is not reaped yet, so its pid still names the process group.
  kill(-job.pid, sig);
  if (job.cgroup == nullptr) return;
  if (sig == SIGKILL && job.cgroup->KillAll()) return;
  // Descendants that left the process group (setsid, daemons) are still in the cgroup.
  for (pid_t pid : job.cgroup->ReadPids().value_or(std::vector<pid_t>{})) kill(pid, sig);
}

void SupervisorImpl::Schedule(int64_t when, ProcessHandle id) {
  timers_.emplace(when, id);
  if (armed_at_ == 0 || when < armed_at_) ArmTimer();
}

void SupervisorImpl::FireTimers(Ready& ready) {
  (void)ready;
  int64_t now = MonotonicMicros();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    ProcessHandle id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    auto it = jobs_.find(id);
    if (it == jobs_.end() || !it->second.running) continue;
    Job& job = it->second;
    if (job.term_at != 0 && job.term_at <= now) {
      job.term_at = 0;
      job.status.timed_out = true;
      SignalTree(job, SIGTERM);
      int64_t kill_at = Deadline(now, job.grace_micros);
      if (job.kill_at == 0 || kill_at < job.kill_at) {
        job.kill_at = kill_at;
        timers_.emplace(kill_at, id);
      }
    }
    if (job.kill_at != 0 && job.kill_at <= now) {
      job.kill_at = 0;
      SignalTree(job, SIGKILL);
    }
  }
  ArmTimer();
}

void SupervisorImpl::ArmTimer() {
  itimerspec spec = {};
  armed_at_ = timers_.empty() ? 0 : std::max<int64_t>(timers_.begin()->first, 1);
  if (armed_at_ != 0) {
    spec.it_value.tv_sec = armed_at_ / 1'000'000;
    spec.it_value.tv_nsec = (armed_at_ % 1'000'000) * 1000;
  }
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

}  // namespace

Result<std::unique_ptr<ProcessSupervisor>> ProcessSupervisor::Create(Options options) {
  CgroupMode mode = options.cgroup_mode.value_or(CgroupManager::Detect());
  std::unique_ptr<CgroupManager> cgroups;
  if (mode != CgroupMode::kNone) {
    GANTRY_ASSIGN_OR_RETURN(cgroups, CgroupManager::Create(mode));
  }
  if (options.subreaper) {
    if (subreaper_taken.exchange(true)) {
      return Fail(FailedPrecondition("another ProcessSupervisor in this process is the subreaper"));
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
      subreaper_taken = false;
      return Fail(ErrnoError("cannot become a child subreaper", errno));
    }
  }
  auto supervisor = std::make_unique<SupervisorImpl>(options, mode, std::move(cgroups));
  GANTRY_RETURN_IF_ERROR(supervisor->Init());
  return std::unique_ptr<ProcessSupervisor>(std::move(supervisor));
}

}  // namespace gantry::exec
