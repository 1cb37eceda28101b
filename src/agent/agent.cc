#include "agent/agent.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "agent/launch_plan.h"
#include "agent/leftovers.h"
#include "agent/modules.h"
#include "agent/resource_ad.h"
#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "exec/exit_status.h"

namespace gantry::agent {
namespace {

std::string Hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

int64_t NowMicros() { return SystemClock().Now(); }

wire::AttemptReport NewReport(wire::AttemptReport::Type type, int64_t attempt_id) {
  wire::AttemptReport r;
  r.type = type;
  r.attempt_id = attempt_id;
  r.time = NowMicros();
  return r;
}

}  // namespace

Result<std::unique_ptr<Agent>> Agent::Create(AgentOptions options,
                                             std::unique_ptr<ServerLink> link,
                                             std::unique_ptr<ServerLink> waker) {
  GANTRY_ASSIGN_OR_RETURN(exec::NodeResources total,
                          exec::DiscoverNodeResources(options.resources));
  struct utsname uts;
  uname(&uts);
  AdFacts facts{options.name, Hostname(), uts.machine, options.site, total, options.partitions,
                options.features};
  if (!options.lmod_init.empty()) facts.modules = FindModules(options.modulepath);
  GANTRY_ASSIGN_OR_RETURN(std::string ad, BuildResourceAd(facts, options.ad_extra));
  GANTRY_RETURN_IF_ERROR(MakeDirs(options.work_dir + "/attempts", 0755));
  GANTRY_RETURN_IF_ERROR(MakeDirs(options.work_dir + "/scripts", 0755));
  // Two agents on one work dir would kill each other's attempts as leftovers.
  std::string lock_path = options.work_dir + "/agent.lock";
  int lock_fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return Fail(ErrnoError("cannot open " + lock_path, errno));
  if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    close(lock_fd);
    return Fail(FailedPrecondition("another agent is running on work dir " + options.work_dir +
                                   " (" + lock_path + " is locked)"));
  }
  int64_t instance = 0;
  if (auto saved = ReadFile(options.work_dir + "/instance")) {
    instance = std::strtoll(saved->c_str(), nullptr, 10);
  }
  // A previous agent on this work_dir that crashed may have left attempts running; the server
  // requeues them, so they must be gone before this agent starts anything.
  KillLeftoverAttempts(options.work_dir + "/attempts");
  exec::ProcessSupervisor::Options sup;
  sup.subreaper = options.subreaper;
  GANTRY_ASSIGN_OR_RETURN(auto supervisor, exec::ProcessSupervisor::Create(sup));
  return std::unique_ptr<Agent>(new Agent(std::move(options), total, std::move(ad), lock_fd,
                                          instance, std::move(link),
                                          std::move(waker), std::move(supervisor)));
}

Agent::Agent(AgentOptions options, exec::NodeResources total, std::string ad, int lock_fd,
             int64_t instance, std::unique_ptr<ServerLink> link,
             std::unique_ptr<ServerLink> waker, std::unique_ptr<exec::ProcessSupervisor> supervisor)
    : options_(std::move(options)),
      hostname_(Hostname()),
      ad_(std::move(ad)),
      ledger_(total),
      link_(std::move(link)),
      waker_link_(std::move(waker)),
      supervisor_(std::move(supervisor)),
      scripts_(options_.work_dir + "/scripts"),
      scratch_(options_.work_dir + "/attempts"),
      instance_(instance),
      lock_fd_(lock_fd) {
  waker_ = std::thread([this] { WakerLoop(); });
  // Several starters: a spawn blocks its thread until the child has exec-ed.
  int starters = std::clamp(static_cast<int>(ledger_.total().cores), 1, kMaxStarters);
  for (int i = 0; i < starters; ++i) starters_.emplace_back([this] { StarterLoop(); });
}

Agent::~Agent() {
  Stop();
  if (waker_.joinable()) waker_.join();
  if (returner_.joinable()) returner_.join();
  if (peeker_.joinable()) peeker_.join();
  for (std::thread& starter : starters_) starter.join();
  if (lock_fd_ >= 0) close(lock_fd_);
}

void Agent::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    queued_.clear();  // never started: the server requeues them without spending a retry
    NotifyAllLocked();
  }
  // Jobs die with the agent: a restarted server requeues them, and two copies of one job
  // must never run at once.
  supervisor_->Shutdown();
  int64_t instance;
  {
    std::lock_guard lock(mu_);
    instance = instance_;
  }
  if (instance == 0) return;  // never registered (or refused): nothing of ours to leave
  (void)waker_link_->Wake(options_.name);
  auto left = waker_link_->Leave(options_.name, instance);
  if (!left) LogWarning("agent: could not tell the server it is leaving: " + left.error().message());
}

void Agent::WakerLoop() {
  std::unique_lock lock(mu_);
  while (!stopped_) {
    if (!wake_needed_ || !in_long_poll_) {
      report_cv_.wait(lock);
      continue;
    }
    if (!ReportsDueLocked()) {
      // The queue keeps the cores busy: let more reports join these, for one commit.
      report_cv_.wait_until(lock, ReportsDueAtLocked());
      continue;
    }
    wake_needed_ = false;
    lock.unlock();
    auto woke = waker_link_->Wake(options_.name);
    if (!woke) LogWarning("agent: cannot wake the long-poll: " + woke.error().message());
    lock.lock();
  }
}

void Agent::NotifyAllLocked() {
  returns_cv_.notify_all();
  queue_cv_.notify_all();
  cores_cv_.notify_all();
  report_cv_.notify_all();
}

Agent::Holding Agent::Held(const model::JobSpec& spec) const {
  if (!spec.exclusive) return {spec.TotalCpus(), spec.memory_mb, spec.gpus};
  exec::NodeResources total = ledger_.total();
  return {total.cores, total.memory_mb, static_cast<int64_t>(total.gpus.size())};
}

bool Agent::StartableLocked(int64_t cpus, int64_t memory_mb, int64_t gpus) const {
  exec::NodeResources free = ledger_.Free(), total = ledger_.total();
  bool fits = cpus <= free.cores && memory_mb <= free.memory_mb &&
              gpus <= static_cast<int64_t>(free.gpus.size());
  bool never = cpus > total.cores || memory_mb > total.memory_mb ||
               gpus > static_cast<int64_t>(total.gpus.size());
  return fits || never;
}

// The next queued attempt is prepared (scratch dir, script, environment) while the cores are
// still busy, so that when they free up only the spawn is left. Attempts take their cores in
// the order they were queued (a big one is not overtaken by later small ones), but are
// spawned in parallel.
void Agent::StarterLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    queue_cv_.wait(lock, [&] { return stopped_ || !queued_.empty(); });
    if (stopped_) return;
    wire::Assignment a = std::move(queued_.front());
    queued_.pop_front();
    if (!reports_.empty() && ReportsDueLocked()) report_cv_.notify_all();  // the queue runs low
    // Listed as running from now on: a poll in between must not tell the server that this
    // agent does not know the attempt (it would be requeued and run twice).
    running_[a.attempt.id] = Running{.attempt_id = a.attempt.id};
    int64_t cpus = Held(a.job->spec).cores;
    int64_t turn = next_turn_++;
    preparing_cores_ += cpus;
    lock.unlock();
    std::optional<Prepared> p = Prepare(a);
    lock.lock();
    // Done with the turn: the next attempt may take cores (or, if it left early, the one after).
    auto leave_turn = [&] {
      if (turn != current_turn_) {
        skipped_turns_.insert(turn);
        return;
      }
      ++current_turn_;
      while (skipped_turns_.erase(current_turn_) > 0) ++current_turn_;
      cores_cv_.notify_all();
    };
    if (p) {
      auto cancelled = [&] {
        auto it = running_.find(p->attempt_id);
        return it == running_.end() || it->second.kill_requested ||
               it->second.withdraw_requested;
      };
      auto withdrawn = [&] {
        auto it = running_.find(p->attempt_id);
        return it != running_.end() && !it->second.kill_requested &&
               it->second.withdraw_requested;
      };
      cores_cv_.wait(lock, [&] {
        return stopped_ || cancelled() ||
               (turn == current_turn_ && StartableLocked(p->cpus, p->memory_mb, p->gpus));
      });
      bool stopping = stopped_, start = !stopping && !cancelled();
      bool give_back = !stopping && withdrawn();
      // Reserved here, under mu_: another starter must not take the same cores.
      Result<exec::Reservation> reservation = Fail(FailedPrecondition("not started"));
      if (start) {
        reservation =
            ledger_.Reserve(static_cast<int>(p->cpus), p->memory_mb, static_cast<int>(p->gpus));
      }
      leave_turn();
      if (stopping) running_.erase(p->attempt_id);  // the server requeues it
      preparing_cores_ -= cpus;
      lock.unlock();
      if (start && reservation) {
        Launch(*p, std::move(*reservation));
      } else if (start) {
        FailStart(*p, reservation.error().message());
      } else if (stopping) {
        Unprepare(*p);
      } else if (give_back) {
        Withdraw(*p);
      } else {
        FailStart(*p, "cancelled before it started");
      }
      lock.lock();
    } else {
      preparing_cores_ -= cpus;
      leave_turn();
    }
  }
}

void Agent::OnExit(int64_t attempt_id, const exec::ExitStatus& status) {
  wire::AttemptReport r = NewReport(wire::AttemptReport::Type::kFinished, attempt_id);
  r.exit_code = status.exit_code;
  r.signal = status.signal;
  r.timed_out = status.timed_out;
  r.oom_killed = status.oom_killed;
  r.usage.user_cpu_seconds = status.usage.user_cpu_seconds;
  r.usage.system_cpu_seconds = status.usage.system_cpu_seconds;
  r.usage.wall_seconds = status.usage.wall_seconds;
  r.usage.max_rss_kb = std::max(status.usage.max_rss_kb, status.usage.peak_memory_kb);
  r.reason = exec::DescribeExitStatus(status);
  double wall_ms = status.usage.wall_seconds * 1000;
  std::string dir, script;
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(attempt_id);
    if (it != running_.end()) {
      dir = it->second.attempt_dir;
      script = it->second.script;
      r.stdout_path = it->second.stdout_path;
      r.stderr_path = it->second.stderr_path;
      r.start_time = it->second.start_time;
      it->second.reservation = exec::Reservation();  // free the cores now
    }
    task_wall_ms_ = task_wall_ms_ < 0 ? wall_ms : 0.8 * task_wall_ms_ + 0.2 * wall_ms;
    if (it != running_.end() && it->second.sandbox) {
      // Its files go back first (the returner), then its end: a job seen DONE has them.
      returns_.push_back({std::move(r), std::move(dir), std::move(script), it->second.sandbox});
      returns_cv_.notify_all();
      cores_cv_.notify_all();
      return;
    }
    reports_.push_back(std::move(r));
    unsent_starts_.erase(attempt_id);  // no longer urgent: it goes with the end
    wake_needed_ = true;
    cores_cv_.notify_all();
    // The waker and the loop sleep until the reports are due: they need a nudge for the
    // first report (to start the clock) and when the reports fall due early.
    if (reports_.size() == 1 || ReportsDueLocked()) report_cv_.notify_all();
  }
  if (!dir.empty()) scratch_.Release(dir);
  if (!script.empty()) scripts_.Release(script);
}

void Agent::Unprepare(const Prepared& p) {
  if (!p.dir.empty()) scratch_.Release(p.dir);
  if (!p.script.empty()) scripts_.Release(p.script);
}

void Agent::FailStart(const Prepared& p, const std::string& why) {
  Unprepare(p);
  std::lock_guard lock(mu_);
  running_.erase(p.attempt_id);
  ReportUnstartedLocked(p.attempt_id, wire::AttemptReport::Type::kFailedToStart, why);
}

void Agent::Withdraw(const Prepared& p) {
  Unprepare(p);
  std::lock_guard lock(mu_);
  running_.erase(p.attempt_id);
  ReportUnstartedLocked(p.attempt_id, wire::AttemptReport::Type::kWithdrawn,
                        "taken back before it started");
}

void Agent::ReportUnstartedLocked(int64_t attempt_id, wire::AttemptReport::Type type,
                                  const std::string& why) {
  wire::AttemptReport r = NewReport(type, attempt_id);
  r.reason = why;
  reports_.push_back(std::move(r));
  wake_needed_ = true;
  report_cv_.notify_all();
}

// The agent's own disk is full (or read-only): not the job's fault. The attempt is handed
// back unstarted: it is forgotten without a report, so the server requeues it without
// spending a retry on the next poll; meanwhile this agent takes no work for a while.
void Agent::HandBack(const Prepared& p, const std::string& why) {
  Unprepare(p);
  LogWarning("agent: cannot prepare attempt " + std::to_string(p.attempt_id) + ": " + why +
             "; handing it back to the server");
  std::lock_guard lock(mu_);
  running_.erase(p.attempt_id);
  paused_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
}

std::optional<Agent::Prepared> Agent::Prepare(const wire::Assignment& a) {
  Prepared p;
  p.attempt_id = a.attempt.id;
  Account owner_info = owners_.Find(a.job->owner.uid).value_or(Account{});
  exec::NodeResources total = ledger_.total();
  NodeContext node{hostname_, owner_info.home, owner_info.shell, total.cores, total.memory_mb,
                   static_cast<int64_t>(total.gpus.size())};
  uid_t owner = a.job->owner.uid;
  bool as_root = geteuid() == 0;
  if (!as_root && owner != geteuid()) {
    FailStart(p, "this agent runs as uid " + std::to_string(geteuid()) +
                     " and cannot run jobs of uid " + std::to_string(owner));
    return std::nullopt;
  }
  // execve's ENOENT would blame the script; name the missing interpreter instead.
  const std::string& text = a.job->spec.script;
  std::string shebang = text.substr(2, text.find('\n') == std::string::npos ? std::string::npos
                                                                              : text.find('\n') - 2);
  std::string interpreter(Trim(shebang).substr(0, Trim(shebang).find_first_of(" \t")));
  if (!interpreter.empty() && access(interpreter.c_str(), X_OK) != 0) {
    FailStart(p, "the script's interpreter " + interpreter + " (line 1: #!" +
                     std::string(Trim(shebang)) + ") " +
                     (errno == ENOENT ? "does not exist"
                                      : "cannot be executed: " + std::string(strerror(errno))));
    return std::nullopt;
  }
  bool hand_over = as_root && owner != 0;
  auto owned_by = hand_over ? std::optional(std::pair(owner, a.job->owner.gid)) : std::nullopt;
  // The agent's own disk is full or failing: the attempt goes back to the server.
  auto give_up = [&](const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted) {
      HandBack(p, e.message());
    } else {
      FailStart(p, e.message());
    }
    return std::nullopt;
  };
  auto script = scripts_.Acquire(text, owned_by);
  if (!script) return give_up(script.error());
  p.script = *script;
  auto dir = scratch_.Acquire(owned_by);
  if (!dir) return give_up(dir.error());
  p.dir = *dir;
  LaunchPlan plan = PlanLaunch(a, p.dir, p.script, node);
  const auto& attributes = a.job->spec.attributes;
  auto wanted = attributes.find("RequestModules");
  auto modules = RequestedModules(wanted == attributes.end() ? "" : wanted->second);
  if (!modules) {
    FailStart(p, modules.error().message());
    return std::nullopt;
  }
  if (!modules->empty() && options_.lmod_init.empty()) {
    FailStart(p, "the job needs modules, but this agent has no Lmod");
    return std::nullopt;
  }
  plan.argv = WrapWithModules(plan.argv, *modules, options_.lmod_init);
  AddModuleEnvironment(plan.env, options_.lmod_init, options_.modulepath);
  if (Sandboxed(a.job->spec)) {
    auto sandbox = std::make_shared<SandboxPlan>(
        PlanSandbox(a.job->spec, p.dir, plan.stdout_path, plan.stderr_path));
    if (auto written = WriteInputSandbox(a.job->spec, *sandbox, owned_by); !written) {
      return give_up(written.error());
    }
    plan.working_dir = sandbox->dir;
    plan.stdout_path = sandbox->stdout_local;
    plan.stderr_path = sandbox->stderr_local;
    p.sandbox = std::move(sandbox);
  }
  p.cpus = plan.cpus;
  p.memory_mb = plan.memory_mb;
  p.gpus = plan.gpus;
  exec::SpawnRequest& req = p.request;
  req.argv = std::move(plan.argv);
  req.env = std::move(plan.env);
  req.working_dir = std::move(plan.working_dir);
  req.stdout_path = std::move(plan.stdout_path);
  req.stderr_path = std::move(plan.stderr_path);
  req.output_mode = a.job->spec.open_mode == model::JobSpec::OpenMode::kAppend
                        ? exec::SpawnRequest::OutputMode::kAppend
                        : exec::SpawnRequest::OutputMode::kTruncate;
  if (hand_over) {
    req.uid = owner;
    req.gid = a.job->owner.gid;
  }
  req.memory_limit_bytes = plan.memory_limit_bytes;
  req.time_limit_seconds = plan.time_limit_seconds;
  req.kill_grace_seconds = options_.kill_grace_seconds;
  return p;
}

void Agent::Launch(Prepared& p, exec::Reservation reservation) {
  int64_t attempt_id = p.attempt_id;
  std::vector<int> entry_gpus;
  // Registered before Start so an instant exit finds its entry.
  {
    std::lock_guard lock(mu_);
    Running& entry = running_[attempt_id];  // the starter's placeholder
    entry_gpus = reservation.gpus();
    entry.reservation = std::move(reservation);
    entry.attempt_dir = p.dir;
    entry.script = p.script;
    // A sandboxed attempt reports the paths its output will have on the submit host.
    entry.stdout_path = p.sandbox ? p.sandbox->stdout_target : p.request.stdout_path;
    entry.stderr_path = p.sandbox ? p.sandbox->stderr_target : p.request.stderr_path;
    entry.sandbox = p.sandbox;
    entry.start_time = NowMicros();
  }
  // The devices are known only now, once reserved: the job sees its own and no others.
  SetGpuEnvironment(p.request.env, entry_gpus, !ledger_.total().gpus.empty());
  auto handle = supervisor_->Start(p.request, [this, attempt_id](const exec::ExitStatus& s) {
    OnExit(attempt_id, s);
  });
  if (!handle) return FailStart(p, handle.error().message());
  std::unique_lock lock(mu_);
  auto entry = running_.find(attempt_id);
  // It may have ended, and its end been reported and acknowledged (which records the start
  // too), while we were on our way here: then there is nothing left to do.
  if (entry == running_.end()) return;
  entry->second.handle = *handle;
  bool kill = entry->second.kill_requested;
  // Its end may be queued or on its way already: that report carries the start time.
  bool ended = std::any_of(reports_.begin(), reports_.end(), [&](const wire::AttemptReport& r) {
    return r.attempt_id == attempt_id;
  });
  if (!ended) {
    wire::AttemptReport started = NewReport(wire::AttemptReport::Type::kStarted, attempt_id);
    started.time = entry->second.start_time;
    started.stdout_path = entry->second.stdout_path;
    started.stderr_path = entry->second.stderr_path;
    reports_.push_back(std::move(started));
    // A start is sent at once, or within start_linger_ms with others (ReportsDueLocked): the
    // server must see RUNNING while it runs, and count it as started if the agent dies.
    bool first = unsent_starts_.empty();
    unsent_starts_[attempt_id] = entry->second.start_time;
    wake_needed_ = true;
    if (first || reports_.size() == 1) report_cv_.notify_all();
  }
  entry->second.launched = true;
  returns_cv_.notify_all();
  lock.unlock();
  if (kill) (void)supervisor_->Kill(*handle, exec::KillMode::kCancel);
}

int64_t Agent::QueuedCoresLocked() const {
  int64_t cores = preparing_cores_;
  for (const wire::Assignment& a : queued_) cores += Held(a.job->spec).cores;
  return cores;
}

int64_t Agent::QueueRoomLocked() const {
  if (options_.queue_cores >= 0) return options_.queue_cores;
  int64_t cores = ledger_.total().cores;
  if (task_wall_ms_ < 0) return cores;
  double times = std::clamp(kQueueTargetMs / std::max(task_wall_ms_, 0.1), 1.0, 16.0);
  return cores * static_cast<int64_t>(times);
}

bool Agent::ReportsDueLocked() const {
  if (reports_.empty() || stopped_ || options_.report_linger_ms <= 0) return true;
  // Less than a node's worth queued: it will soon want more work, and a round trip takes time.
  if (QueuedCoresLocked() <= ledger_.total().cores) return true;
  return NowMicros() >= ReportsDueTimeLocked();
}

TimeMicros Agent::ReportsDueTimeLocked() const {
  if (reports_.empty()) return 0;
  TimeMicros due = reports_.front().time + options_.report_linger_ms * 1000;
  int64_t start_linger_us = std::min(options_.start_linger_ms, options_.report_linger_ms) * 1000;
  for (const auto& [id, started] : unsent_starts_) {
    due = std::min(due, started + start_linger_us);
  }
  return due;
}

std::chrono::steady_clock::time_point Agent::ReportsDueAtLocked() const {
  int64_t left = ReportsDueTimeLocked() - NowMicros();
  return std::chrono::steady_clock::now() + std::chrono::microseconds(std::max<int64_t>(left, 0));
}

wire::AgentStatus Agent::StatusLocked() const {
  // Free: what nothing runs on and nothing queued will take. Queue: room for more.
  exec::NodeResources free = ledger_.Free(), total = ledger_.total();
  int64_t queued_cores = QueuedCoresLocked(), queued_memory = 0, queued_gpus = 0;
  for (const wire::Assignment& a : queued_) {
    Holding held = Held(a.job->spec);
    queued_memory += held.memory_mb;
    queued_gpus += held.gpus;
  }
  int64_t queue_cores = QueueRoomLocked();
  int64_t queue_memory = queue_cores > 0 ? total.memory_mb : 0;
  queue_cores -= std::max<int64_t>(queued_cores - free.cores, 0);
  queue_memory -= std::max<int64_t>(queued_memory - free.memory_mb, 0);
  wire::AgentStatus status{options_.name, hostname_, total.cores, total.memory_mb,
                           std::max<int64_t>(free.cores - queued_cores, 0),
                           std::max<int64_t>(free.memory_mb - queued_memory, 0), ad_};
  status.queue_cpus = std::max<int64_t>(queue_cores, 0);
  status.queue_memory_mb = std::max<int64_t>(queue_memory, 0);
  status.total_gpus = static_cast<int64_t>(total.gpus.size());
  status.free_gpus = std::max<int64_t>(static_cast<int64_t>(free.gpus.size()) - queued_gpus, 0);
  if (std::chrono::steady_clock::now() < paused_until_) {
    status.free_cpus = status.free_memory_mb = status.queue_cpus = status.queue_memory_mb = 0;
    status.free_gpus = 0;
  }
  return status;
}

Status Agent::Run() {
  int failures = 0;
  while (true) {
    wire::PollRequest req;
    {
      std::unique_lock lock(mu_);
      // Fresh reports wait a little for company while the queue keeps the cores busy.
      while (!ReportsDueLocked()) report_cv_.wait_until(lock, ReportsDueAtLocked());
      if (stopped_) return {};
      req.status = StatusLocked();
      req.instance = instance_;
      int64_t free_cores = req.status.free_cpus;
      req.reports = reports_;
      for (const auto& [id, r] : running_) req.running_attempts.push_back(id);
      for (const auto& a : queued_) req.running_attempts.push_back(a.attempt.id);
      // Even a full node long-polls: the poll is its heartbeat (the server answers well
      // within its agent timeout) and brings kill orders at once; an exit wakes it.
      req.max_wait_ms = free_cores > 0 || reports_.empty() ? options_.long_poll_ms : 0;
      auto pause_left = std::chrono::duration_cast<std::chrono::milliseconds>(
          paused_until_ - std::chrono::steady_clock::now());
      if (pause_left.count() > 0) {
        // Offer the cores again as soon as the pause ends.
        req.max_wait_ms = std::min<int64_t>(req.max_wait_ms, pause_left.count() + 1);
      }
      in_long_poll_ = req.max_wait_ms > 0;
      wake_needed_ = false;
    }
    auto resp = link_->Poll(options_.name, req);
    std::vector<int64_t> kills;
    {
      std::lock_guard lock(mu_);
      in_long_poll_ = false;
      if (!resp) {
        if (stopped_) return {};
        LogWarning("agent: poll failed: " + resp.error().message());
        ErrorCode code = resp.error().code();
        // A full disk or a locked database (507/503) passes: keep the reports and retry
        // until it does. Only a refusal ends the agent (a name taken, a partition the server
        // does not have), or errors that persist.
        bool transient = code == ErrorCode::kResourceExhausted || code == ErrorCode::kUnavailable;
        if (code == ErrorCode::kUnauthenticated || code == ErrorCode::kPermissionDenied ||
            code == ErrorCode::kAlreadyExists || code == ErrorCode::kInvalidArgument ||
            (!transient && ++failures > 30)) {
          return Fail(resp.error());
        }
      } else {
        failures = 0;
        if (resp->instance != 0 && resp->instance != instance_) {
          instance_ = resp->instance;
          auto saved = WriteFileAtomic(options_.work_dir + "/instance", std::to_string(instance_));
          if (!saved) LogWarning("agent: cannot keep its instance: " + saved.error().message());
        }
        // Acknowledged: drop what was sent, and forget attempts that ended.
        size_t sent = req.reports.size();
        for (size_t i = 0; i < sent; ++i) {
          if (req.reports[i].type != wire::AttemptReport::Type::kStarted) {
            running_.erase(req.reports[i].attempt_id);
          } else {
            unsent_starts_.erase(req.reports[i].attempt_id);
          }
        }
        reports_.erase(reports_.begin(), reports_.begin() + static_cast<long>(sent));
        returns_cv_.notify_all();  // a sandboxed attempt's start may be acknowledged now
        for (const auto& [id, r] : running_) {
          if (std::count(resp->kill_attempts.begin(), resp->kill_attempts.end(), id)) {
            kills.push_back(id);
          }
        }
        // Queued work to kill or give back never starts: it ends here, and says so.
        auto unqueue = [&](int64_t id) {
          auto it = std::find_if(queued_.begin(), queued_.end(),
                                 [&](const wire::Assignment& a) { return a.attempt.id == id; });
          if (it == queued_.end()) return false;
          queued_.erase(it);
          return true;
        };
        for (int64_t id : resp->kill_attempts) {
          if (unqueue(id)) {
            ReportUnstartedLocked(id, wire::AttemptReport::Type::kFailedToStart,
                                  "cancelled before it started");
          }
        }
        // One a starter holds is given back unless it is already being spawned; one that
        // runs or ended is answered by its start or end report.
        for (int64_t id : resp->withdraw_attempts) {
          if (unqueue(id)) {
            ReportUnstartedLocked(id, wire::AttemptReport::Type::kWithdrawn,
                                  "taken back before it started");
          } else if (auto it = running_.find(id); it != running_.end() && it->second.handle == 0) {
            it->second.withdraw_requested = true;
            cores_cv_.notify_all();
          }
        }
        for (wire::Assignment& a : resp->assignments) queued_.push_back(std::move(a));
        if (!resp->assignments.empty()) queue_cv_.notify_all();
        report_cv_.notify_all();  // the long-poll is over
      }
    }
    if (!resp) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    for (int64_t id : kills) {
      exec::ProcessHandle handle;
      {
        std::lock_guard lock(mu_);
        auto it = running_.find(id);
        if (it == running_.end()) continue;
        handle = it->second.handle;
        // Being started right now: Start kills it as soon as it has a process.
        if (handle == 0) {
          it->second.kill_requested = true;
          cores_cv_.notify_all();  // it may be waiting for cores
        }
      }
      if (handle != 0) (void)supervisor_->Kill(handle, exec::KillMode::kCancel);
    }
  }
}

}  // namespace gantry::agent
