// NodeLaunch: the per-node part of `gantry run`. It starts the ranks placed on one node,
// forwards their stdio, serves their PMI-1 connections through a pmi::SimpleServer and fills
// the node's shared-memory key-value store. Job-wide decisions (barrier completion across
// nodes, when to kill, the exit status) belong to its NodeObserver (the Launcher).
// Loop-thread only: every method and callback runs on the thread driving the Poller.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/error.h"
#include "launch/output_labeler.h"
#include "launch/placement.h"
#include "launch/poller.h"
#include "launch/rank_spawner.h"
#include "pmi/shm_kvs.h"
#include "pmi/simple_server.h"

namespace gantry::launch {

// How the node part reports to the job-wide part.
class NodeObserver {
 public:
  virtual ~NodeObserver() = default;
  virtual void OnLocalBarrier(int node, uint64_t epoch, std::vector<pmi::KeyValue> puts) = 0;
  virtual void OnRankExit(int rank, int wait_status) = 0;
  // A rank broke the PMI protocol or vanished mid-job: the job must end.
  virtual void OnRankError(int rank, const Error& error) = 0;
  virtual void OnAbort(int rank, int exit_code) = 0;
  // Writing the ranks' output failed because our stdout or stderr was closed (EPIPE).
  virtual void OnOutputClosed() = 0;
};

enum class PmiTransport {
  kInheritedSocket,  // a socketpair per rank, PMI_FD (the default, like hydra)
  kTcp,              // a listener on 127.0.0.1, PMI_PORT + PMI_ID
};

struct NodeLaunchConfig {
  int node_index = 0;
  NodePlan plan;
  int job_size = 1;
  std::string kvsname;
  std::string process_mapping;
  std::string program;             // resolved path
  std::vector<std::string> argv;
  std::vector<std::string> env;    // job-wide environment; per-rank variables are added
  bool label = false;
  bool forward_stdin = false;      // this node hosts rank 0
  bool shared_memory_kvs = true;
  bool serve_pmi = true;           // false (--mpi none): no PMI socket and no PMI variables
  PmiTransport pmi_transport = PmiTransport::kInheritedSocket;
  std::vector<int> inherit_fds;    // e.g. the topology memfd
  // Extra per-rank variables (the PMIx server's), called once per rank at spawn. Optional.
  std::function<Result<std::vector<std::string>>(int rank)> rank_environment;
};

class SpawnThreads;

class NodeLaunch : private pmi::SimpleServerHost {
 public:
  static Result<std::unique_ptr<NodeLaunch>> Create(NodeLaunchConfig config, Poller& poller,
                                                    NodeObserver& observer);
  ~NodeLaunch() override;

  // Starts every rank of the node. On failure the ranks already started keep running: the
  // caller kills them through Signal().
  Status Start();
  // The job-wide exchange finished barrier `epoch`.
  Status CompleteBarrier(uint64_t epoch, const std::vector<pmi::KeyValue>& pairs);
  // Sends `sig` to the process group of every rank that has not been reaped.
  void Signal(int sig);
  // waitpid for each live rank; reports exits to the observer.
  void Reap();
  void CollectLeftovers(std::set<std::string>& files) const;
  bool AllReaped() const;
  int LiveRanks() const;
  // True when every rank was reaped and every output pipe reached end of file.
  bool Done() const;
  // Closes output pipes that are still open (grandchildren may hold them).
  void AbandonOutput();

 private:
  struct Rank;
  struct PmiConnection;
  NodeLaunch(NodeLaunchConfig config, Poller& poller, NodeObserver& observer);

  // pmi::SimpleServerHost
  void Send(int client, std::string_view line) override;
  void OnLocalBarrier(uint64_t epoch, std::vector<pmi::KeyValue> puts) override;
  void OnAbort(int rank, int exit_code) override;

  struct Prepared {
    RankSpawnSpec spec;
    std::vector<int> child_fds;  // the rank's ends, closed here once it is spawned
  };
  Status PrepareRank(Rank& rank, Prepared& prepared);
  Status Listen();
  void OnAccept();
  void AddConnection(int fd, std::optional<int> rank);
  int RankOf(const PmiConnection& connection) const;
  void OnPmiReadable(PmiConnection& connection);
  void FlushPmi(PmiConnection& connection);
  void WaitBrieflyForExit(Rank& rank);
  void OnReaped(Rank& rank, int wait_status);
  void ClosePmi(PmiConnection& connection);
  void OnOutput(Rank& rank, int stream);
  void WriteOutput(int fd, std::string_view data);
  void OnStdin();
  void FlushStdin();
  void CloseStdinPipe();

  NodeLaunchConfig config_;
  Poller& poller_;
  NodeObserver& observer_;
  std::unique_ptr<pmi::ShmKvsWriter> shm_;
  std::unique_ptr<pmi::SimpleServer> server_;
  std::unique_ptr<SpawnThreads> spawn_threads_;  // see spawn_threads.h: they outlive Start
  std::vector<std::unique_ptr<Rank>> ranks_;
  std::vector<std::unique_ptr<PmiConnection>> connections_;  // by SimpleServer client id
  int devnull_fd_ = -1;  // stdin of every rank but one that gets ours
  int listen_fd_ = -1;  // PmiTransport::kTcp
  int listen_port_ = 0;
  int stdin_fd_ = -1;  // our write end of rank 0's stdin
  std::string stdin_buffer_;
  bool stdin_eof_ = false;
  bool output_closed_ = false;  // our stdout/stderr gave EPIPE: further output is dropped
};

}  // namespace gantry::launch
