#include "launch/launcher.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <cstring>
#include <memory>
#include <optional>
#include <set>

#include "base/log.h"
#include "exec/exit_status.h"
#include "exec/program_path.h"
#include "launch/job_exchange.h"
#include "launch/leftovers.h"
#include "launch/node_launch.h"
#include "launch/pmi_library.h"
#include "launch/pmix_host.h"
#include "launch/poller.h"
#include "launch/rank_spawner.h"
#include "launch/signal_policy.h"
#include "launch/topology.h"

extern char** environ;

namespace gantry::launch {
namespace {

using SteadyClock = std::chrono::steady_clock;

void Report(const std::string& message) {
  std::string line = "gantry run: " + message + "\n";
  (void)!write(2, line.data(), line.size());
}

enum class ProgramKind { kOpenMpi, kMpich, kOther };

// Which MPI a program links, from the library names in its first megabytes (.dynstr sits near
// the start of an ELF file). Open MPI links libmpi.so.40, MPICH libmpi(ch).so.12.
ProgramKind ClassifyProgram(const std::string& program) {
  int fd = open(program.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ProgramKind::kOther;
  std::string head(4 << 20, '\0');
  ssize_t n = read(fd, head.data(), head.size());
  close(fd);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  if (head.find("libmpi.so.40") != std::string::npos ||
      head.find("libopen-pal.so") != std::string::npos) {
    return ProgramKind::kOpenMpi;
  }
  if (head.find("libmpich.so") != std::string::npos ||
      head.find("libmpi.so.12") != std::string::npos) {
    return ProgramKind::kMpich;
  }
  return ProgramKind::kOther;
}

// The launcher's environment without variables that belong to an enclosing launcher.
std::vector<std::string> BaseEnvironment() {
  static constexpr std::string_view kDropped[] = {
      "PMI_", "PMIX_", "GANTRY_RANK", "GANTRY_SIZE", "GANTRY_LOCAL_", "GANTRY_PMI_SHM_FD",
      "GANTRY_NODE", "MPI_LOCAL", "OMPI_COMM_WORLD", "HWLOC_XMLFILE", "PMI_TOTALVIEW"};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view var = *e;
    bool drop = false;
    for (std::string_view prefix : kDropped) drop = drop || var.starts_with(prefix);
    if (!drop) env.emplace_back(var);
  }
  return env;
}

// Sets NAME=VALUE in `env`, replacing an earlier NAME.
void SetVariable(std::vector<std::string>& env, const std::string& assignment) {
  std::string_view name = std::string_view(assignment).substr(0, assignment.find('=') + 1);
  std::erase_if(env, [&](const std::string& var) { return var.starts_with(name); });
  env.push_back(assignment);
}

// Puts libgantry-spawn-guard.so first in LD_PRELOAD (kept: what the user preloads already).
void PreloadSpawnGuard(std::vector<std::string>& env) {
  const std::string guard = GantrySpawnGuardPath();
  if (access(guard.c_str(), R_OK) != 0) {
    // ld.so would print an error in every rank and go on without it.
    LogWarning("gantry run: " + guard + " is missing (set GANTRY_SPAWN_GUARD): MPI_Comm_spawn "
               "is not guarded in this job");
    return;
  }
  std::string preload = guard;
  for (const std::string& var : env) {
    if (!var.starts_with("LD_PRELOAD=")) continue;
    std::string old = var.substr(std::string_view("LD_PRELOAD=").size());
    if (old.find(guard) != std::string::npos) return;  // an enclosing gantry run put it there
    if (!old.empty()) preload += ":" + old;
  }
  SetVariable(env, "LD_PRELOAD=" + preload);
}

// A per-job directory for the PMIx server under $TMPDIR, or under /tmp when $TMPDIR is not
// usable (as mpirun falls back). The ranks keep $TMPDIR as it was.
Result<std::string> MakeSessionDirectory(const std::string& job_id) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::vector<std::string> bases;
  if (tmpdir != nullptr && *tmpdir != '\0') bases.emplace_back(tmpdir);
  if (bases.empty() || bases[0] != "/tmp") bases.emplace_back("/tmp");
  int err = 0;
  for (const std::string& base : bases) {
    std::string dir = base + "/gantry-run." + job_id + ".XXXXXX";
    if (mkdtemp(dir.data()) != nullptr) {
      if (base != bases[0]) {
        Report("TMPDIR=" + bases[0] + " is not usable (" + std::strerror(err) +
               "); using /tmp for the PMIx session directory");
      }
      return dir;
    }
    err = errno;
  }
  return Fail(ErrnoError("creating a session directory for PMIx in /tmp", err));
}

class Job final : public NodeObserver {
 public:
  explicit Job(const LaunchOptions& options) : options_(options) {
    pthread_sigmask(SIG_SETMASK, nullptr, &old_mask_);
  }
  ~Job() override;
  Status Start(const std::string& program);  // `program`: resolved (exec::ResolveProgram)
  Result<int> Run();

 private:
  // NodeObserver
  void OnLocalBarrier(int node, uint64_t epoch, std::vector<pmi::KeyValue> puts) override;
  void OnRankExit(int rank, int wait_status) override;
  void OnRankError(int rank, const Error& error) override;
  void OnAbort(int rank, int exit_code) override;
  void OnOutputClosed() override;

  void OnSignal();
  void OnEndingSignal(int sig);
  void OnKillGraceOver();
  void ScanAfterFirstExchange();
  // Ends the job: remembers `status` if it is the first, kills every rank.
  void FailJob(std::optional<int> status);
  void KillAll(int sig);
  bool AllReaped() const;
  bool AllDone() const;

  const LaunchOptions& options_;
  Poller poller_;
  std::unique_ptr<Topology> topology_;
  std::unique_ptr<PmixHost> pmix_;
  std::unique_ptr<JobExchange> exchange_;
  std::vector<std::unique_ptr<NodeLaunch>> nodes_;
  std::set<std::string> leftovers_;
  std::string pmix_tmpdir_;  // removed with everything in it when the job ends
  const std::chrono::system_clock::time_point start_time_ = std::chrono::system_clock::now();
  bool scanned_after_first_exchange_ = false;
  sigset_t old_mask_;
  int signal_fd_ = -1;
  std::optional<int> exit_status_;   // first non-zero status
  bool error_ = false;               // a PMI failure ended the job
  bool killing_ = false;             // we are terminating the ranks ourselves
  int user_signals_ = 0;             // signals that end the job (SignalAction::kForwardAndEnd)
  int terminate_signal_ = SIGTERM;   // what the ranks were asked to end with
  std::optional<SteadyClock::time_point> kill_deadline_;
};

Job::~Job() {
  nodes_.clear();
  pmix_.reset();
  if (!pmix_tmpdir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(pmix_tmpdir_, ignored);
  }
  if (signal_fd_ >= 0) close(signal_fd_);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

Status Job::Start(const std::string& program) {
  GANTRY_ASSIGN_OR_RETURN(Placement placement,
                          BlockPlacement(options_.size, options_.ppn, options_.hosts));
  MpiMode mode = options_.mpi;
  bool want_topology = options_.topology && mode != MpiMode::kNone;
  // The spawn guard costs each rank a preload: only for MPI programs and explicit modes.
  bool want_spawn_guard = true;
  if (mode == MpiMode::kAuto) {
    ProgramKind kind = ClassifyProgram(program);
    want_spawn_guard = kind != ProgramKind::kOther;
    mode = kind == ProgramKind::kOpenMpi ? MpiMode::kPmix : MpiMode::kPmi1;
    // Discovery costs 10-20 ms: worth it only when every rank would otherwise repeat it.
    want_topology = want_topology && kind != ProgramKind::kOther;
  }

  if (mode == MpiMode::kFlux && NodesShareAHost(placement)) {
    // Open MPI names its shared-memory segments by host and local rank: two emulated nodes
    // on one host would map the same segments (and crash in vader).
    return Fail(InvalidArgument(
        "--mpi flux (Open MPI) supports one node per host; drop --ppn (or make it at least -n)"));
  }

  sigset_t mask = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &mask, &old_mask_);
  signal(SIGPIPE, SIG_IGN);
  signal_fd_ = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd_ < 0) return Fail(ErrnoError("signalfd", errno));
  poller_.Watch(signal_fd_, POLLIN, [this](short) { OnSignal(); });

  std::vector<std::string> env = BaseEnvironment();
  for (const std::string& assignment : options_.env) SetVariable(env, assignment);
  std::vector<int> inherit;
  if (want_topology) {
    auto topology = Topology::Discover();
    if (topology) {
      topology_ = std::move(*topology);
      env.push_back("HWLOC_XMLFILE=" + topology_->RankPath());
      env.push_back("HWLOC_THISSYSTEM=1");
      inherit.push_back(topology_->fd());
    } else {
      LogWarning("gantry run: no topology for the ranks: " + topology.error().message());
    }
  }
  const std::string job_id = std::to_string(getpid());
  if (mode == MpiMode::kFlux) {
    // Open MPI 4.1's flux component dlopens this PMI-1 library when FLUX_JOB_ID is set.
    env.push_back("FLUX_JOB_ID=" + job_id);
    env.push_back("FLUX_PMI_LIBRARY_PATH=" + GantryPmiLibraryPath());
    env.push_back("OMPI_MCA_pmix=flux");
  }
  if (want_spawn_guard && (mode == MpiMode::kFlux || mode == MpiMode::kPmi1)) {
    // MPI_Comm_spawn is unsupported without PMIx, and there no MPI library asks the launcher
    // on every rank: the guard makes the call itself end the job (pmi/client/spawn_guard.c).
    PreloadSpawnGuard(env);
  }
  if (mode == MpiMode::kPmix) {
    if (placement.nodes.size() != 1) {
      return Fail(InvalidArgument("PMIx (Open MPI) supports one node per launcher; drop --ppn"));
    }
    GANTRY_ASSIGN_OR_RETURN(std::string tmpdir, MakeSessionDirectory(job_id));
    pmix_tmpdir_ = tmpdir;
    GANTRY_ASSIGN_OR_RETURN(
        pmix_, PmixHost::Create(PmixJob{.job_id = job_id,
                                        .size = options_.size,
                                        .local_ranks = placement.nodes[0].ranks,
                                        .tmpdir = tmpdir,
                                        .hwloc_topology = topology_ ? topology_->hwloc_topology()
                                                                    : nullptr}));
  }

  exchange_ = std::make_unique<JobExchange>(
      static_cast<int>(placement.nodes.size()),
      [this](int node, uint64_t epoch, const std::vector<pmi::KeyValue>& pairs) {
        auto status = nodes_[static_cast<size_t>(node)]->CompleteBarrier(epoch, pairs);
        if (!status) OnRankError(-1, status.error());
      });
  const std::string mapping = ProcessMapping(placement);
  for (size_t i = 0; i < placement.nodes.size(); ++i) {
    NodeLaunchConfig config;
    config.node_index = static_cast<int>(i);
    config.plan = placement.nodes[i];
    config.job_size = options_.size;
    config.kvsname = "gantry_" + job_id;
    config.process_mapping = mapping;
    config.program = program;
    config.argv = options_.argv;
    config.env = env;
    config.label = options_.label;
    config.forward_stdin = i == 0;
    config.shared_memory_kvs = options_.shared_memory_kvs && mode != MpiMode::kNone;
    config.serve_pmi = mode != MpiMode::kNone;
    config.inherit_fds = inherit;
    config.pmi_transport =
        options_.pmi_over_tcp ? PmiTransport::kTcp : PmiTransport::kInheritedSocket;
    if (pmix_) {
      config.rank_environment = [this](int rank) { return pmix_->RankEnvironment(rank); };
    }
    GANTRY_ASSIGN_OR_RETURN(auto node, NodeLaunch::Create(std::move(config), poller_, *this));
    nodes_.push_back(std::move(node));
  }
  if (pmix_) {
    pmix_->WatchEvents(poller_, PmixEvents{
                                    .on_abort = [this](int rank, int code) { OnAbort(rank, code); },
                                    .on_fence = [this] { ScanAfterFirstExchange(); },
                                    .on_spawn = [this](int rank) {
                                      OnRankError(rank, FailedPrecondition(
                                          "rank " + std::to_string(rank) +
                                          " called MPI_Comm_spawn, which gantry run does not "
                                          "support"));
                                    },
                                });
  }
  for (auto& node : nodes_) {
    auto status = node->Start();
    if (!status) {
      Report(status.error().message());
      FailJob(ExitStatusOf(status.error()));
      return {};
    }
  }
  return {};
}

void Job::OnLocalBarrier(int node, uint64_t epoch, std::vector<pmi::KeyValue> puts) {
  auto status = exchange_->Contribute(node, epoch, std::move(puts));
  if (!status) OnRankError(-1, status.error());
  ScanAfterFirstExchange();
}

void Job::ScanAfterFirstExchange() {
  // Ranks create their shared-memory segments before the first key exchange (Open MPI
  // publishes their names in it). Scanning now, once, covers ranks that will die alone.
  if (scanned_after_first_exchange_) return;
  scanned_after_first_exchange_ = true;
  for (auto& node : nodes_) node->CollectLeftovers(leftovers_);
}

void Job::OnRankExit(int rank, int wait_status) {
  exec::ExitStatus ended = exec::FromWaitStatus(wait_status);
  int code = exec::ShellExitCode(ended);
  if (code == 0 && pmix_ && !killing_ && pmix_->ExitedWithoutFinalize(rank)) {
    // As MPICH's path says for PMI-1: the rank's peers may be waiting for it forever.
    Report("rank " + std::to_string(rank) +
           " exited without MPI_Finalize (it closed its PMIx connection without "
           "PMIx_Finalize); ending the job");
    error_ = true;
    FailJob(std::nullopt);
    return;
  }
  if (code == 0) return;
  if (!killing_) {
    Report("rank " + std::to_string(rank) + " " + exec::DescribeExitStatus(ended) +
           (AllReaped() ? "" : "; ending the job"));
    FailJob(code);
  } else if (!exit_status_ && !error_) {
    exit_status_ = code;
  }
}

void Job::OnRankError(int rank, const Error& error) {
  (void)rank;
  if (killing_) return;  // ranks dying under our own signals close their connections
  Report("error: " + error.message() + "; ending the job");
  error_ = true;
  FailJob(std::nullopt);
}

void Job::OnAbort(int rank, int exit_code) {
  if (killing_) return;
  Report("rank " + std::to_string(rank) + " called abort with exit code " +
         std::to_string(exit_code) + "; ending the job");
  FailJob(exit_code == 0 ? 1 : exit_code);
}

void Job::OnOutputClosed() {
  // `gantry run ... | head`: as without --label, where the ranks die of SIGPIPE.
  if (!exit_status_) exit_status_ = 128 + SIGPIPE;
  FailJob(std::nullopt);
}

void Job::FailJob(std::optional<int> status) {
  if (status && !exit_status_) exit_status_ = *status;
  if (killing_) return;
  killing_ = true;
  for (auto& node : nodes_) node->CollectLeftovers(leftovers_);
  KillAll(SIGTERM);
  kill_deadline_ = SteadyClock::now() + std::chrono::milliseconds(options_.kill_grace_ms);
}

void Job::KillAll(int sig) {
  for (auto& node : nodes_) node->Signal(sig);
}

void Job::OnSignal() {
  signalfd_siginfo info;
  while (read(signal_fd_, &info, sizeof(info)) == sizeof(info)) {
    int sig = static_cast<int>(info.ssi_signo);
    switch (ActionFor(sig)) {
      case SignalAction::kReap:
        for (auto& node : nodes_) node->Reap();
        break;
      case SignalAction::kForward:
        KillAll(sig);
        break;
      case SignalAction::kForwardAndEnd:
        OnEndingSignal(sig);
        break;
      case SignalAction::kIgnore:
        break;
    }
  }
}

void Job::OnEndingSignal(int sig) {
  ++user_signals_;
  for (auto& node : nodes_) node->CollectLeftovers(leftovers_);
  if (user_signals_ == 1) {
    // The ranks' own deaths by this signal set the exit status (128 + sig); they are the
    // user's doing, so they are not reported one by one.
    killing_ = true;
    terminate_signal_ = sig;
    KillAll(sig);
    kill_deadline_ = SteadyClock::now() + std::chrono::milliseconds(options_.kill_grace_ms);
  } else {
    Report("second signal: killing every rank");
    KillAll(SIGKILL);
  }
}

void Job::OnKillGraceOver() {
  int live = 0;
  for (const auto& node : nodes_) live += node->LiveRanks();
  if (live > 0) {
    const char* name = sigabbrev_np(terminate_signal_);
    Report(std::to_string(live) + " rank(s) still running " +
           std::to_string(options_.kill_grace_ms) + " ms after SIG" +
           (name != nullptr ? name : std::to_string(terminate_signal_)) +
           " (--kill-grace): killing them with SIGKILL");
  }
  killing_ = true;
  KillAll(SIGKILL);
}

bool Job::AllReaped() const {
  for (const auto& node : nodes_) {
    if (!node->AllReaped()) return false;
  }
  return true;
}

bool Job::AllDone() const {
  for (const auto& node : nodes_) {
    if (!node->Done()) return false;
  }
  return true;
}

Result<int> Job::Run() {
  std::optional<SteadyClock::time_point> drain_deadline;
  // Ranks that failed to start or exited before the signalfd existed.
  for (auto& node : nodes_) node->Reap();
  for (;;) {
    if (AllDone()) break;
    auto now = SteadyClock::now();
    if (AllReaped()) {
      // Grandchildren may hold the output pipes open: do not wait for them forever.
      if (!drain_deadline) drain_deadline = now + std::chrono::milliseconds(500);
      if (now >= *drain_deadline) {
        for (auto& node : nodes_) node->AbandonOutput();
        break;
      }
    }
    if (kill_deadline_ && now >= *kill_deadline_) {
      OnKillGraceOver();
      kill_deadline_.reset();
    }
    int timeout = -1;
    for (auto deadline : {kill_deadline_, drain_deadline}) {
      if (!deadline) continue;
      auto ms = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now).count();
      int t = static_cast<int>(std::max<int64_t>(ms, 0));
      timeout = timeout < 0 ? t : std::min(timeout, t);
    }
    GANTRY_RETURN_IF_ERROR(poller_.RunOnce(timeout));
  }
  // Only a failed job leaves segments behind; a clean one removed its own.
  if (killing_ || user_signals_ > 0 || exit_status_ || error_) {
    if (pmix_) CollectOpenMpiSegmentsOf(pmix_->Namespace(), leftovers_);
    RemoveShmLeftovers(leftovers_, start_time_);
  }
  if (exit_status_) return *exit_status_;
  return error_ ? 1 : 0;
}

}  // namespace

Result<MpiMode> ParseMpiMode(std::string_view text) {
  if (text == "auto") return MpiMode::kAuto;
  if (text == "pmi1" || text == "pmi" || text == "mpich") return MpiMode::kPmi1;
  if (text == "pmix" || text == "openmpi") return MpiMode::kPmix;
  if (text == "flux") return MpiMode::kFlux;
  if (text == "none") return MpiMode::kNone;
  return Fail(InvalidArgument("--mpi must be one of auto, pmi1, pmix, flux, none (got '" +
                              std::string(text) + "')"));
}

int ExitStatusOf(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kNotFound: return kExitNotFound;
    case ErrorCode::kPermissionDenied: return kExitCannotExecute;
    default: return kExitLauncherFailure;
  }
}

Result<int> Launch(const LaunchOptions& options) {
  if (options.argv.empty()) return Fail(InvalidArgument("no program to run"));
  auto program = exec::ResolveProgram(options.argv[0], exec::ProcessSearchPath());
  if (!program) {
    Report(program.error().message());
    return ExitStatusOf(program.error());
  }
  Job job(options);
  GANTRY_RETURN_IF_ERROR(job.Start(*program));
  return job.Run();
}

}  // namespace gantry::launch
