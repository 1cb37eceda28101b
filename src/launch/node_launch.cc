#include "launch/node_launch.h"

#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "base/check.h"
#include "launch/leftovers.h"
#include "launch/rank_spawner.h"
#include "launch/spawn_threads.h"
#include "pmi/wire.h"

namespace gantry::launch {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// Below this many ranks spawning threads cost more than they save.
constexpr size_t kParallelSpawnMin = 16;
constexpr size_t kMaxSpawnHelpers = 4;

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Running out of descriptors is the likely failure at large -n: say what to do about it.
Error DescriptorError(const std::string& what, int err) {
  Error error = ErrnoError(what, err);
  if (err != EMFILE) return error;
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return ResourceExhausted(error.message() + " (ulimit -n is " + std::to_string(limit.rlim_cur) +
                           "; gantry run keeps 1 descriptor per rank, 3 with --label)");
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Blocking write of everything. False when the reader is gone (EPIPE).
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) return false;
    if (n <= 0) return true;  // another error: nothing better to do than to go on
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

struct NodeLaunch::Rank {
  int rank = 0;
  int local_rank = 0;
  pid_t pid = -1;
  bool reaped = false;
  int output_fd[2] = {-1, -1};  // our read ends of the rank's stdout and stderr
  OutputLabeler labeler[2];
  explicit Rank(int r) : rank(r), labeler{OutputLabeler(r), OutputLabeler(r)} {}
};

// One PMI connection: an inherited socketpair (known rank) or an accepted TCP connection
// (rank learned from `cmd=initack`). Indexed by its SimpleServer client id.
struct NodeLaunch::PmiConnection {
  int fd = -1;
  int client = 0;
  std::string in;
  std::string out;
};

NodeLaunch::NodeLaunch(NodeLaunchConfig config, Poller& poller, NodeObserver& observer)
    : config_(std::move(config)), poller_(poller), observer_(observer) {}

Result<std::unique_ptr<NodeLaunch>> NodeLaunch::Create(NodeLaunchConfig config, Poller& poller,
                                                       NodeObserver& observer) {
  std::unique_ptr<NodeLaunch> node(new NodeLaunch(std::move(config), poller, observer));
  const NodeLaunchConfig& c = node->config_;
  if (c.shared_memory_kvs) {
    // MPICH puts ~2 keys per rank; libgantry-pmi users more. Sparse memfd: cheap to overshoot.
    size_t keys = 4096 + 64 * static_cast<size_t>(c.job_size);
    GANTRY_ASSIGN_OR_RETURN(node->shm_, pmi::ShmKvsWriter::Create(keys, keys * 512));
  }
  pmi::SimpleServerConfig server_config;
  server_config.kvsname = c.kvsname;
  server_config.size = c.job_size;
  server_config.universe_size = c.job_size;
  server_config.local_clients = static_cast<int>(c.plan.ranks.size());
  server_config.preput = {{"PMI_process_mapping", c.process_mapping}};
  pmi::SimpleServerHost& host = *node;
  node->server_ =
      std::make_unique<pmi::SimpleServer>(std::move(server_config), host, node->shm_.get());
  for (int r : c.plan.ranks) {
    auto rank = std::make_unique<Rank>(r);
    rank->local_rank = static_cast<int>(node->ranks_.size());
    node->ranks_.push_back(std::move(rank));
  }
  if (c.serve_pmi && c.pmi_transport == PmiTransport::kTcp) {
    GANTRY_RETURN_IF_ERROR(node->Listen());
  }
  return node;
}

NodeLaunch::~NodeLaunch() {
  for (auto& connection : connections_) ClosePmi(*connection);
  if (listen_fd_ >= 0) poller_.Unwatch(listen_fd_);
  CloseFd(listen_fd_);
  for (auto& rank : ranks_) {
    for (int& fd : rank->output_fd) {
      if (fd >= 0) poller_.Unwatch(fd);
      CloseFd(fd);
    }
  }
  CloseStdinPipe();
  CloseFd(devnull_fd_);
}

Status NodeLaunch::Start() {
  // Ranks are prepared on the loop thread and spawned, while the rest are still being
  // prepared, by helper threads and then by this one (SpawnRank is thread-safe and every
  // launcher fd is close-on-exec). A spawn blocks its thread until the child has exec-ed,
  // so there is one spawner more than there are cores to keep them busy. The helpers live
  // as long as this object: their ranks' parent-death signal is tied to them.
  const size_t total = ranks_.size();
  std::vector<Prepared> prepared(total);
  std::vector<Result<pid_t>> pids(total, Fail(Internal("not spawned")));
  std::mutex mu;
  std::condition_variable prepared_cv;
  size_t ready = 0;       // GUARDED_BY(mu): prepared[0, ready) may be spawned
  bool preparing = true;  // GUARDED_BY(mu)
  std::atomic<size_t> next{0};
  // A rank's own ends are closed as soon as it is spawned: every later spawn copies, and
  // every exec closes, the whole descriptor table.
  std::function<void()> spawn = [&] {
    for (size_t i = next.fetch_add(1); i < total; i = next.fetch_add(1)) {
      {
        std::unique_lock lock(mu);
        prepared_cv.wait(lock, [&] { return i < ready || !preparing; });
        if (i >= ready) return;  // its preparation failed
      }
      pids[i] = SpawnRank(prepared[i].spec);
      for (int fd : prepared[i].child_fds) close(fd);
    }
  };
  if (total >= kParallelSpawnMin) {
    size_t cores = std::max(1u, std::thread::hardware_concurrency());
    spawn_threads_ = std::make_unique<SpawnThreads>(std::min(cores, kMaxSpawnHelpers));
  }
  // The helpers spawn each rank as soon as it is prepared; this thread prepares them all,
  // then spawns what is left.
  if (spawn_threads_) spawn_threads_->Begin(spawn);
  Status status;
  for (size_t i = 0; i < total && status; ++i) {
    status = PrepareRank(*ranks_[i], prepared[i]);
    if (!status) break;
    {
      std::lock_guard lock(mu);
      ready = i + 1;
    }
    prepared_cv.notify_one();
  }
  {
    std::lock_guard lock(mu);
    preparing = false;
  }
  prepared_cv.notify_all();
  spawn();
  if (spawn_threads_) spawn_threads_->Wait();
  for (size_t i = 0; i < ready; ++i) {
    Rank& rank = *ranks_[i];
    if (pids[i]) {
      rank.pid = *pids[i];
    } else {
      rank.reaped = true;
      if (status) status = Fail(pids[i].error().Wrap("rank " + std::to_string(rank.rank)));
    }
  }
  for (size_t i = ready; i < ranks_.size(); ++i) ranks_[i]->reaped = true;  // never started
  if (config_.forward_stdin && stdin_fd_ >= 0) {
    poller_.Watch(0, POLLIN, [this](short) { OnStdin(); });
  }
  return status;
}

Status NodeLaunch::PrepareRank(Rank& rank, Prepared& prepared) {
  int pmi[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
  const bool inherited =
      config_.serve_pmi && config_.pmi_transport == PmiTransport::kInheritedSocket;
  if (inherited && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pmi) != 0) {
    return Fail(DescriptorError("socketpair for rank " + std::to_string(rank.rank), errno));
  }
  const bool gets_stdin = config_.forward_stdin && rank.rank == 0;
  // Output goes through us only to be labelled; otherwise the ranks write straight to our
  // stdout and stderr (the same files, without a copy and two descriptors per rank).
  const bool piped = config_.label;
  bool ok = !piped || (pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
  if (ok && gets_stdin) {
    ok = pipe2(in, O_CLOEXEC) == 0;
  } else if (ok && devnull_fd_ < 0) {
    devnull_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ok = devnull_fd_ >= 0;
  }
  Result<std::vector<std::string>> extra = std::vector<std::string>{};
  if (ok && config_.rank_environment) extra = config_.rank_environment(rank.rank);
  if (!ok || !extra) {
    int saved = errno;
    for (int fd : {pmi[0], pmi[1], out[0], out[1], err[0], err[1], in[0], in[1]}) {
      if (fd >= 0) close(fd);
    }
    if (!extra) return Fail(extra.error().Wrap("rank " + std::to_string(rank.rank)));
    return Fail(DescriptorError("pipes for rank " + std::to_string(rank.rank), saved));
  }
  const int local_rank = rank.local_rank;
  const int local_size = static_cast<int>(ranks_.size());
  RankSpawnSpec& spec = prepared.spec;
  spec.program = config_.program;
  spec.argv = config_.argv;
  spec.env = config_.env;
  spec.env.insert(spec.env.end(), extra->begin(), extra->end());
  if (inherited) {
    spec.env.push_back("PMI_FD=" + std::to_string(pmi[1]));
    spec.env.push_back("PMI_RANK=" + std::to_string(rank.rank));
    spec.env.push_back("PMI_SIZE=" + std::to_string(config_.job_size));
  } else if (config_.serve_pmi) {
    spec.env.push_back("PMI_PORT=127.0.0.1:" + std::to_string(listen_port_));
    spec.env.push_back("PMI_ID=" + std::to_string(rank.rank));
  }
  if (config_.serve_pmi) {  // MPICH reads these as hydra sets them; singletons must not
    spec.env.push_back("MPI_LOCALNRANKS=" + std::to_string(local_size));
    spec.env.push_back("MPI_LOCALRANKID=" + std::to_string(local_rank));
  }
  spec.env.push_back("GANTRY_RANK=" + std::to_string(rank.rank));
  spec.env.push_back("GANTRY_SIZE=" + std::to_string(config_.job_size));
  spec.env.push_back("GANTRY_LOCAL_RANK=" + std::to_string(local_rank));
  spec.env.push_back("GANTRY_LOCAL_SIZE=" + std::to_string(local_size));
  spec.env.push_back("GANTRY_NODE=" + std::to_string(config_.node_index));
  spec.inherit_fds = config_.inherit_fds;
  if (inherited) spec.inherit_fds.push_back(pmi[1]);
  if (shm_) {
    spec.env.push_back("GANTRY_PMI_SHM_FD=" + std::to_string(shm_->fd()));
    spec.inherit_fds.push_back(shm_->fd());
  }
  spec.stdin_fd = gets_stdin ? in[0] : devnull_fd_;
  spec.stdout_fd = piped ? out[1] : STDOUT_FILENO;
  spec.stderr_fd = piped ? err[1] : STDERR_FILENO;
  for (int fd : {out[1], err[1], in[0], pmi[1]}) {
    if (fd >= 0) prepared.child_fds.push_back(fd);
  }
  if (inherited) AddConnection(pmi[0], rank.rank);
  if (piped) {
    rank.output_fd[0] = out[0];
    rank.output_fd[1] = err[0];
    for (int stream = 0; stream < 2; ++stream) {
      poller_.Watch(rank.output_fd[stream], POLLIN,
                    [this, &rank, stream](short) { OnOutput(rank, stream); });
    }
  }
  if (gets_stdin) {
    stdin_fd_ = in[1];
    SetNonBlocking(stdin_fd_);
  }
  return {};
}

Status NodeLaunch::Listen() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listen_fd_ < 0) return Fail(ErrnoError("socket for PMI_PORT", errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listen_fd_, SOMAXCONN) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return Fail(ErrnoError("listening on 127.0.0.1 for PMI_PORT clients", errno));
  }
  listen_port_ = ntohs(address.sin_port);
  poller_.Watch(listen_fd_, POLLIN, [this](short) { OnAccept(); });
  return {};
}

void NodeLaunch::OnAccept() {
  for (;;) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;  // EAGAIN: accepted everything pending
    AddConnection(fd, std::nullopt);
  }
}

void NodeLaunch::AddConnection(int fd, std::optional<int> rank) {
  auto connection = std::make_unique<PmiConnection>();
  connection->fd = fd;
  connection->client = server_->AddClient(rank);
  GANTRY_CHECK(connection->client == static_cast<int>(connections_.size()));
  SetNonBlocking(fd);
  PmiConnection* raw = connection.get();
  poller_.Watch(fd, POLLIN, [this, raw](short) { OnPmiReadable(*raw); });
  connections_.push_back(std::move(connection));
}

int NodeLaunch::RankOf(const PmiConnection& connection) const {
  return server_->RankOf(connection.client).value_or(-1);
}

void NodeLaunch::Send(int client, std::string_view line) {
  PmiConnection& connection = *connections_[static_cast<size_t>(client)];
  if (connection.fd < 0) return;
  connection.out.append(line);
  FlushPmi(connection);
}

void NodeLaunch::FlushPmi(PmiConnection& connection) {
  while (!connection.out.empty()) {
    ssize_t n = write(connection.fd, connection.out.data(), connection.out.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      poller_.SetEvents(connection.fd, POLLIN | POLLOUT);
      return;
    }
    if (n <= 0) {
      // The rank is gone; its end of file or exit status tells the rest.
      connection.out.clear();
      return;
    }
    connection.out.erase(0, static_cast<size_t>(n));
  }
  poller_.SetEvents(connection.fd, POLLIN);
}

void NodeLaunch::OnLocalBarrier(uint64_t epoch, std::vector<pmi::KeyValue> puts) {
  observer_.OnLocalBarrier(config_.node_index, epoch, std::move(puts));
}

void NodeLaunch::OnAbort(int rank, int exit_code) { observer_.OnAbort(rank, exit_code); }

Status NodeLaunch::CompleteBarrier(uint64_t epoch, const std::vector<pmi::KeyValue>& pairs) {
  return server_->CompleteBarrier(epoch, pairs);
}

void NodeLaunch::ClosePmi(PmiConnection& connection) {
  if (connection.fd < 0) return;
  poller_.Unwatch(connection.fd);
  CloseFd(connection.fd);
}

void NodeLaunch::OnPmiReadable(PmiConnection& connection) {
  if (!connection.out.empty()) FlushPmi(connection);
  if (connection.fd < 0) return;
  char buffer[kReadChunk];
  ssize_t n = read(connection.fd, buffer, sizeof(buffer));
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    auto status = server_->HandleDisconnect(connection.client);
    ClosePmi(connection);
    if (!status) {
      // A rank that dies closes its socket a moment before it can be reaped. Its own exit
      // status (say 137) says more than "closed its PMI connection", so wait briefly for it.
      for (auto& rank : ranks_) {
        if (rank->rank == RankOf(connection)) WaitBrieflyForExit(*rank);
      }
      observer_.OnRankError(RankOf(connection), status.error());
    }
    return;
  }
  connection.in.append(buffer, static_cast<size_t>(n));
  size_t start = 0;
  for (;;) {
    size_t newline = connection.in.find('\n', start);
    if (newline == std::string::npos) break;
    std::string_view line(connection.in.data() + start, newline - start);
    start = newline + 1;
    auto status = server_->HandleLine(connection.client, line);
    if (!status) {
      ClosePmi(connection);
      observer_.OnRankError(RankOf(connection), status.error());
      return;
    }
    if (connection.fd < 0) return;
  }
  connection.in.erase(0, start);
  if (connection.in.size() >= pmi::kMaxRequestBytes) {
    ClosePmi(connection);
    const int rank = RankOf(connection);
    observer_.OnRankError(
        rank, InvalidArgument((rank >= 0 ? "rank " + std::to_string(rank) : "a PMI client") +
                              " sent a PMI line longer than " +
                              std::to_string(pmi::kMaxRequestBytes) + " bytes"));
  }
}

void NodeLaunch::WaitBrieflyForExit(Rank& rank) {
  for (int i = 0; i < 100 && !rank.reaped && rank.pid > 0; ++i) {
    int status = 0;
    if (waitpid(rank.pid, &status, WNOHANG) == rank.pid) {
      OnReaped(rank, status);
      return;
    }
    usleep(1000);
  }
}

void NodeLaunch::OnOutput(Rank& rank, int stream) {
  int& fd = rank.output_fd[stream];
  char buffer[kReadChunk];
  ssize_t n = read(fd, buffer, sizeof(buffer));
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  const int out = stream == 0 ? 1 : 2;
  if (n <= 0) {
    if (config_.label) WriteOutput(out, rank.labeler[stream].Flush());
    poller_.Unwatch(fd);
    CloseFd(fd);
    return;
  }
  std::string_view chunk(buffer, static_cast<size_t>(n));
  WriteOutput(out, config_.label ? rank.labeler[stream].Feed(chunk) : chunk);
}

void NodeLaunch::WriteOutput(int fd, std::string_view data) {
  // A rank writing to a closed pipe itself would get SIGPIPE; through our pipe it cannot
  // know, so the job ends here instead (as hydra -l does), once.
  if (output_closed_ || WriteAll(fd, data)) return;
  output_closed_ = true;
  observer_.OnOutputClosed();
}

void NodeLaunch::OnStdin() {
  char buffer[kReadChunk];
  ssize_t n = read(0, buffer, sizeof(buffer));
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  poller_.Unwatch(0);  // resumed by FlushStdin once the rank took the data
  if (n <= 0) {
    stdin_eof_ = true;
  } else {
    stdin_buffer_.append(buffer, static_cast<size_t>(n));
  }
  FlushStdin();
}

void NodeLaunch::FlushStdin() {
  if (stdin_fd_ < 0) return;
  while (!stdin_buffer_.empty()) {
    ssize_t n = write(stdin_fd_, stdin_buffer_.data(), stdin_buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      poller_.Watch(stdin_fd_, POLLOUT, [this](short) { FlushStdin(); });
      return;
    }
    if (n <= 0) {  // rank 0 closed its stdin: stop forwarding
      stdin_buffer_.clear();
      CloseStdinPipe();
      return;
    }
    stdin_buffer_.erase(0, static_cast<size_t>(n));
  }
  poller_.Unwatch(stdin_fd_);
  if (stdin_eof_) {
    CloseStdinPipe();
  } else {
    poller_.Watch(0, POLLIN, [this](short) { OnStdin(); });
  }
}

void NodeLaunch::CloseStdinPipe() {
  if (stdin_fd_ < 0) return;
  poller_.Unwatch(stdin_fd_);
  poller_.Unwatch(0);
  CloseFd(stdin_fd_);
}

void NodeLaunch::Signal(int sig) {
  for (auto& rank : ranks_) {
    if (rank->pid > 0 && !rank->reaped) kill(-rank->pid, sig);
  }
}

void NodeLaunch::Reap() {
  for (auto& rank : ranks_) {
    if (rank->pid <= 0 || rank->reaped) continue;
    int status = 0;
    if (waitpid(rank->pid, &status, WNOHANG) == rank->pid) OnReaped(*rank, status);
  }
}

void NodeLaunch::OnReaped(Rank& rank, int wait_status) {
  rank.reaped = true;
  // Whatever the rank started in its process group goes with it.
  kill(-rank.pid, SIGKILL);
  if (rank.rank == 0) CloseStdinPipe();
  observer_.OnRankExit(rank.rank, wait_status);
}

void NodeLaunch::CollectLeftovers(std::set<std::string>& files) const {
  for (const auto& rank : ranks_) {
    if (rank->pid > 0 && !rank->reaped) CollectShmFilesMappedBy(rank->pid, files);
  }
}

bool NodeLaunch::AllReaped() const {
  for (const auto& rank : ranks_) {
    if (!rank->reaped && rank->pid > 0) return false;
  }
  return true;
}

int NodeLaunch::LiveRanks() const {
  int live = 0;
  for (const auto& rank : ranks_) live += !rank->reaped && rank->pid > 0 ? 1 : 0;
  return live;
}

bool NodeLaunch::Done() const {
  if (!AllReaped()) return false;
  for (const auto& rank : ranks_) {
    if (rank->output_fd[0] >= 0 || rank->output_fd[1] >= 0) return false;
  }
  return true;
}

void NodeLaunch::AbandonOutput() {
  for (auto& rank : ranks_) {
    for (int& fd : rank->output_fd) {
      if (fd >= 0) poller_.Unwatch(fd);
      CloseFd(fd);
    }
  }
}

}  // namespace gantry::launch
