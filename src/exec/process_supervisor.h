// ProcessSupervisor: runs job attempts as process trees, enforces their limits, and reports
// how each ended. The public entry point of gantry::exec; see README.md and docs/exec.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "base/error.h"
#include "exec/cgroup.h"
#include "exec/exit_status.h"
#include "exec/spawn_request.h"

namespace gantry::exec {

// Identifies one started attempt within one supervisor; never reused.
using ProcessHandle = uint64_t;

enum class KillMode {
  kCancel,   // SIGTERM to the whole tree, SIGKILL after the request's kill_grace_seconds
  kKillNow,  // SIGKILL to the whole tree
};

// Thread-safe. Owns one reaper thread (epoll over pidfds, a timerfd and an eventfd); on_exit
// callbacks run on that thread, without any lock held, so they may call Start and Kill (but
// not Shutdown, nor block for long). Lock order: spawn_mu_ before mu_ (see supervisor.cc).
class ProcessSupervisor {
 public:
  using ExitCallback = std::function<void(const ExitStatus&)>;

  struct Options {
    // nullopt: CgroupManager::Detect(). Set it to force a mode (tests use kNone for the
    // fallback). A forced v1/v2 mode that cannot be set up makes Create fail.
    std::optional<CgroupMode> cgroup_mode;
    // PR_SET_CHILD_SUBREAPER: orphaned descendants of jobs are re-parented to this process and
    // reaped here, so none is left a zombie. The supervisor then reaps *every* child of the
    // process (wait4(-1)), so nothing else in the process may wait for its own children; at
    // most one such supervisor per process.
    bool subreaper = false;
  };

  static Result<std::unique_ptr<ProcessSupervisor>> Create(Options options);
  // Shutdown(), then frees everything.
  virtual ~ProcessSupervisor() = default;

  // Starts the attempt; returns once the program has been exec'd. Failures to set it up
  // (program not found or not executable, bad working directory, unwritable output file, ...)
  // come back here, leaving no process, cgroup or created output file behind. Otherwise
  // on_exit runs exactly once, after the whole tree is gone and its cgroup removed.
  virtual Result<ProcessHandle> Start(const SpawnRequest& request, ExitCallback on_exit) = 0;
  // Marks the attempt cancelled and signals its tree. NotFound if it has already ended.
  virtual Status Kill(ProcessHandle handle, KillMode mode) = 0;
  // SIGKILLs every tree, waits until all have been reaped and their callbacks have run, then
  // stops the thread. Idempotent; Start fails afterwards. Must not be called from on_exit.
  virtual void Shutdown() = 0;

  virtual CgroupMode cgroup_mode() const = 0;
  // Attempts started and not yet reported.
  virtual size_t ActiveCount() const = 0;
};

}  // namespace gantry::exec
