// SimpleServer: the sans-I/O PMI-1 "simple" protocol engine for the ranks of one node.
// The launcher feeds it lines and connection events; it answers through SimpleServerHost.
// It never touches a socket, file, thread or clock. Thread-compatible (the launcher calls it
// from its loop thread only).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"
#include "pmi/wire.h"

namespace gantry::pmi {

using KeyValue = std::pair<std::string, std::string>;

// What the engine needs from its host. Called synchronously from SimpleServer methods.
class SimpleServerHost {
 public:
  virtual ~SimpleServerHost() = default;
  // Queue `line` (ending in '\n') for `client`.
  virtual void Send(int client, std::string_view line) = 0;
  // Every local rank has entered barrier `epoch`. `puts` are the pairs put on this node since
  // the previous barrier. The host runs the job-wide exchange (all nodes) and later calls
  // SimpleServer::CompleteBarrier(epoch, all pairs of all nodes).
  virtual void OnLocalBarrier(uint64_t epoch, std::vector<KeyValue> puts) = 0;
  // A rank sent `cmd=abort`: the host must end the job with `exit_code`.
  virtual void OnAbort(int rank, int exit_code) = 0;
};

// Receives each key-value pair once, when a barrier makes it visible (the shared-memory
// store implements this). Optional.
class KvsSink {
 public:
  virtual ~KvsSink() = default;
  virtual Status Insert(std::string_view key, std::string_view value) = 0;
};

struct SimpleServerConfig {
  std::string kvsname;
  int size = 1;            // ranks in the job
  int universe_size = 1;   // usually == size
  int appnum = 0;
  int local_clients = 1;   // ranks served by this engine (this node)
  std::vector<KeyValue> preput;  // e.g. PMI_process_mapping, visible to every get
};

class SimpleServer {
 public:
  SimpleServer(SimpleServerConfig config, SimpleServerHost& host, KvsSink* sink = nullptr);

  // A new connection. `rank` is known for inherited sockets (PMI_FD + PMI_RANK) and unknown
  // for PMI_PORT connections until the client sends `cmd=initack pmiid=R`.
  int AddClient(std::optional<int> rank);
  // One request line (without '\n'). An error means the client broke the protocol: the host
  // should report it, drop the client and end the job.
  Status HandleLine(int client, std::string_view line);
  // The client's connection closed. An error if it had initialized and not finalized
  // (a rank died or quit mid-job), naming the barrier if it was in one.
  Status HandleDisconnect(int client);
  // The job-wide exchange for `epoch` finished: make `pairs` visible and release the barrier.
  Status CompleteBarrier(uint64_t epoch, const std::vector<KeyValue>& pairs);

  std::optional<int> RankOf(int client) const;
  bool AllFinalized() const;
  uint64_t epoch() const { return epoch_; }
  std::optional<std::string_view> LookupForTest(std::string_view key) const;

 private:
  enum class Phase { kConnected, kInitialized, kInBarrier, kFinalized, kClosed };
  struct Client {
    std::optional<int> rank;
    Phase phase = Phase::kConnected;
    bool allgather = false;  // in the current barrier through allgather_in
  };

  Status Dispatch(int client, Client& c, std::string_view cmd, const WireMessage& m);
  Status EnterBarrier(int client, Client& c);
  void Reply(int client, std::string_view cmd,
             const std::vector<std::pair<std::string_view, std::string_view>>& fields);
  std::string Who(const Client& c) const;

  SimpleServerConfig config_;
  SimpleServerHost& host_;
  KvsSink* sink_;
  std::vector<Client> clients_;
  std::unordered_map<std::string, std::string> kvs_;
  std::vector<KeyValue> pending_puts_;
  int in_barrier_ = 0;
  int finalized_ = 0;
  uint64_t epoch_ = 0;
};

}  // namespace gantry::pmi
