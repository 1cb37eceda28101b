// Agent: runs on a worker node. It polls the server for work (pull model), starts each
// attempt through exec::ProcessSupervisor within the node's cores and memory, and reports
// every start and end. Beyond its free cores it accepts up to queue_cores more cores of work,
// which it queues and starts the moment cores free up: short jobs then follow each other
// without waiting for a round trip to the server. Thread-safe: Run() is the loop thread;
// starter threads (one per core, up to kMaxStarters) prepare and start queued work; the
// supervisor's reaper thread hands exits over through mu_; a waker thread tells the server
// to end a long-poll early.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "agent/job_scripts.h"
#include "agent/sandbox.h"
#include "agent/sandbox_link.h"
#include "agent/scratch_dirs.h"
#include "agent/server_link.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/passwd.h"
#include "exec/node_resources.h"
#include "exec/process_supervisor.h"

namespace gantry::agent {

struct AgentOptions {
  std::string name = "local";
  std::string site = "local";
  std::string ad_extra;  // text of the operator's ad file (custom attributes, START, Rank)
  std::vector<std::string> partitions;  // advertised as Partitions; none: the server's default
  std::vector<std::string> features;    // advertised as Features (-C/--constraint)
  // Lmod: its bash init script ("" = no Lmod: no modules advertised or loaded) and the
  // MODULEPATH whose modules are advertised, loaded for --modules and given to jobs.
  std::string lmod_init;
  std::string modulepath;
  std::string work_dir;  // attempt scratch directories live under work_dir/attempts/
  exec::NodeResourcesOverride resources;
  int64_t long_poll_ms = 20'000;
  int64_t kill_grace_seconds = 5;
  // Work accepted beyond the free cores; -1: enough for about kQueueTargetMs of the node's
  // recent tasks (1 to 16 times its cores).
  int64_t queue_cores = -1;
  // While the queue keeps the cores busy, reports wait up to this long for company, so that
  // one commit carries many; 0: sent at once.
  int64_t report_linger_ms = 20;
  // A start waits at most this long for company (at most report_linger_ms), so that `q`
  // and the journal see RUNNING promptly while starts that happen together share a commit.
  int64_t start_linger_ms = 5;
  bool subreaper = true;
  // No filesystem shared with the submit hosts (--no-shared-fs): every attempt runs in a
  // sandbox (docs/sandbox.md). Without it, only jobs whose working directory does not
  // exist here do (once sandboxes are enabled).
  bool no_shared_fs = false;
};

class Agent {
 public:
  // link: the loop's connection; waker: a second connection for Wake calls.
  static Result<std::unique_ptr<Agent>> Create(AgentOptions options,
                                               std::unique_ptr<ServerLink> link,
                                               std::unique_ptr<ServerLink> waker);
  ~Agent();

  // Lets attempts run in sandboxes (an agent on another host than the server): returns
  // carries their output back, peeks answers `gantry logs -f`. Call before Run.
  void EnableSandboxes(std::unique_ptr<SandboxLink> returns, std::unique_ptr<SandboxLink> peeks);

  // Polls and runs work until Stop(). Returns the error that made it give up, if any.
  Status Run();
  // Kills every running attempt and makes Run() return. Thread-safe, idempotent.
  void Stop();

  exec::NodeResources total() const { return ledger_.total(); }

 private:
  struct Running {
    int64_t attempt_id;
    exec::ProcessHandle handle = 0;
    exec::Reservation reservation;
    std::string attempt_dir;
    std::string script;
    bool kill_requested = false;  // a kill order came while it was being started
    bool withdraw_requested = false;  // the server wants it back if it has not started
    TimeMicros start_time = 0;    // when it was spawned; sent with its end too
    // Sent with the end too: it may be reported before its start is.
    std::string stdout_path;
    std::string stderr_path;
    // Set when it runs in a sandbox: its output goes back before its end is reported.
    std::shared_ptr<const SandboxPlan> sandbox;
    bool launched = false;  // its start report is queued (or its spawn failed)
  };
  // A sandboxed attempt that ended: its files go back, then its end report.
  struct Return {
    wire::AttemptReport report;
    std::string dir, script;
    std::shared_ptr<const SandboxPlan> sandbox;
  };

  Agent(AgentOptions options, exec::NodeResources total, std::string ad, int lock_fd,
        int64_t instance, std::unique_ptr<ServerLink> link,
        std::unique_ptr<ServerLink> waker, std::unique_ptr<exec::ProcessSupervisor> supervisor);
  // An attempt made ready to spawn: scratch dir, script, request.
  struct Prepared {
    int64_t attempt_id = 0;
    std::string dir;     // held from scratch_; "" if none yet
    std::string script;  // held from scripts_; "" if none yet
    int64_t cpus = 0;
    int64_t memory_mb = 0;
    int64_t gpus = 0;
    exec::SpawnRequest request;
    std::shared_ptr<const SandboxPlan> sandbox;
  };
  // Each ends the attempt with a report (or a hand-back) if it cannot go on.
  std::optional<Prepared> Prepare(const wire::Assignment& assignment);
  void Launch(Prepared& prepared, exec::Reservation reservation);
  // Undoes Prepare; reports kFailedToStart with why.
  void FailStart(const Prepared& prepared, const std::string& why);
  // Undoes Prepare; reports kWithdrawn (the server asked for it back before it started).
  void Withdraw(const Prepared& prepared);
  // Queues the report that ends a queued attempt that never started.
  void ReportUnstartedLocked(int64_t attempt_id, wire::AttemptReport::Type type,
                             const std::string& why);
  // Undoes Prepare; the attempt goes back to the server unreported (the disk is full).
  void HandBack(const Prepared& prepared, const std::string& why);
  void Unprepare(const Prepared& prepared);
  void StarterLoop();
  // What the agent offers in its next poll: free cores and memory, and room in its queue.
  wire::AgentStatus StatusLocked() const;
  int64_t QueuedCoresLocked() const;
  // What a job will hold once started (the whole node for --exclusive).
  struct Holding {
    int64_t cores = 0;
    int64_t memory_mb = 0;
    int64_t gpus = 0;
  };
  Holding Held(const model::JobSpec& spec) const;
  int64_t QueueRoomLocked() const;
  // Whether the unsent reports should go now (see report_linger_ms), and when they will.
  bool ReportsDueLocked() const;
  std::chrono::steady_clock::time_point ReportsDueAtLocked() const;
  TimeMicros ReportsDueTimeLocked() const;
  // Whether an attempt this big can start now (or never could: Launch refuses it).
  bool StartableLocked(int64_t cpus, int64_t memory_mb, int64_t gpus) const;
  void OnExit(int64_t attempt_id, const exec::ExitStatus& status);
  void WakerLoop();
  // Sandboxes (agent_sandbox.cc): whether an attempt of this job runs in one, returning
  // output, answering peeks.
  bool Sandboxed(const model::JobSpec& spec) const;
  void ReturnerLoop();
  void ReturnFiles(const Return& r);
  void PeekLoop();

  const AgentOptions options_;
  const std::string hostname_;
  std::string ad_;  // the resource ad advertised with every poll
  exec::NodeLedger ledger_;
  std::unique_ptr<ServerLink> link_;
  std::unique_ptr<ServerLink> waker_link_;
  std::unique_ptr<exec::ProcessSupervisor> supervisor_;
  JobScripts scripts_;
  ScratchDirs scratch_;
  // The owners' passwd entries (the job's HOME and SHELL), looked up at most once a minute.
  SystemClock clock_;
  PasswdCache owners_{clock_};

  std::mutex mu_;
  std::condition_variable queue_cv_;   // starters: work queued, or stop
  std::condition_variable cores_cv_;   // starters: cores freed, a kill order, or stop
  std::condition_variable report_cv_;  // the loop and the waker: reports due, poll over, stop
  void NotifyAllLocked();
  bool stopped_ = false;                           // GUARDED_BY(mu_)
  // The server's name for this agent process (0 until its first poll is answered), kept in
  // work_dir/instance so that a restarted agent is known as the same one.
  int64_t instance_ = 0;                           // GUARDED_BY(mu_)
  int lock_fd_ = -1;  // flock on work_dir/agent.lock: one agent per work dir
  bool in_long_poll_ = false;                      // GUARDED_BY(mu_)
  // Until then the agent offers no cores: its own disk was full when it prepared an attempt.
  std::chrono::steady_clock::time_point paused_until_;  // GUARDED_BY(mu_)
  bool wake_needed_ = false;                       // GUARDED_BY(mu_)
  std::vector<wire::AttemptReport> reports_;       // GUARDED_BY(mu_), not yet acknowledged
  // Attempts running whose start report has not been sent: when each started.
  std::map<int64_t, TimeMicros> unsent_starts_;    // GUARDED_BY(mu_)
  std::map<int64_t, Running> running_;             // GUARDED_BY(mu_)
  std::deque<wire::Assignment> queued_;            // GUARDED_BY(mu_), received, not started
  int64_t preparing_cores_ = 0;  // GUARDED_BY(mu_), the starters' attempts in hand
  // Queued attempts take cores in queue order: each gets a turn when a starter takes it.
  int64_t next_turn_ = 0;            // GUARDED_BY(mu_)
  int64_t current_turn_ = 0;         // GUARDED_BY(mu_)
  std::set<int64_t> skipped_turns_;  // GUARDED_BY(mu_), left before their turn came
  double task_wall_ms_ = -1;  // GUARDED_BY(mu_), moving average of attempts' wall time
  static constexpr double kQueueTargetMs = 100;
  std::thread waker_;
  std::vector<std::thread> starters_;
  std::unique_ptr<SandboxLink> returns_link_;  // the returner thread's
  std::unique_ptr<SandboxLink> peeks_link_;    // the peek thread's
  std::deque<Return> returns_;                 // GUARDED_BY(mu_)
  std::condition_variable returns_cv_;  // the returner: a return queued, a start acked, stop
  std::thread returner_;
  std::thread peeker_;
  static constexpr int kMaxStarters = 4;
};

}  // namespace gantry::agent
