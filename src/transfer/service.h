// TransferService: runs the durable queue (queue.h). Worker threads claim the best queued
// transfer whose link has room under the optimizer's limit (optimizer.h), copy it
// (copier.h) verified against the catalog's adler32, and record the outcome in the catalog
// (the destination replica is registered `copying` before the first byte and `available`
// only after the verified rename) and in the transfer's events. Recoverable failures are
// retried with backoff (retry.h); a source whose bytes do not match the catalog is marked
// bad and another source is tried. A planner thread evaluates the replication rules
// (rules.h) every few seconds: it queues the transfers that satisfy them, and repairs bad
// replicas. Thread-safe; lock order: rules_mu_, then TransferQueue's mutex, then mu_.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "catalog/catalog.h"
#include "model/identity.h"
#include "transfer/copier.h"
#include "transfer/optimizer.h"
#include "transfer/queue.h"
#include "transfer/retry.h"
#include "transfer/storage.h"

namespace gantry::transfer {

struct ServiceOptions {
  int workers = 8;  // at most this many transfers at once, over all links
  RetryPolicy retry;
  OptimizerOptions optimizer;
  TimeMicros rule_interval = 2 * kMicrosPerSecond;
  uint64_t seed = 1;  // retry jitter
};

struct ProgressInfo {
  int64_t done = 0;
  int64_t total = 0;
  TimeMicros started = 0;
};

struct LinkInfo {
  std::string link;
  int limit = 0;
  int active = 0;
  double success_rate = 1;
  double throughput = 0;
  std::string reason;  // of the last decision
};

class TransferService {
 public:
  // The catalog and queue must outlive the service. storages maps a scheme ("file",
  // "root") to its Storage; the service owns them.
  static Result<std::unique_ptr<TransferService>> Start(
      catalog::Catalog& catalog, TransferQueue& queue, const Clock& clock,
      std::map<std::string, std::unique_ptr<Storage>> storages, ServiceOptions options);
  ~TransferService();
  void Stop();

  // Replicates one file, or every file of a dataset or container, to an RSE; returns the
  // queued transfers (files already there are skipped).
  Result<std::vector<int64_t>> Replicate(const model::Identity& who, const catalog::Did& did,
                                         const std::string& dest_rse, int priority);
  // Copies one URL to another (admins: the server writes with its own rights).
  Result<int64_t> CopyUrl(const model::Identity& who, const std::string& source,
                          const std::string& destination, int priority);
  Result<int64_t> AddRule(const model::Identity& who, const catalog::Did& did, int copies,
                          const std::string& expression, int64_t lifetime_seconds);
  Status Cancel(const model::Identity& who, int64_t id);

  // Re-checksums the replicas of a DID's files (on rse only, if given) at their storage and
  // marks those whose bytes differ from the catalog bad (their rules then repair them).
  struct Verified {
    std::string did, rse, state, detail;  // state: ok, bad (newly marked), unreachable
  };
  Result<std::vector<Verified>> Verify(const model::Identity& who, const catalog::Did& did,
                                       const std::string& rse);

  std::optional<ProgressInfo> Progress(int64_t id);
  std::vector<LinkInfo> Links();
  // Runs the rules now (the planner does it every rule_interval).
  Status EvaluateRules();
  TransferQueue& queue() { return queue_; }

 private:
  TransferService(catalog::Catalog& catalog, TransferQueue& queue, const Clock& clock,
                  std::map<std::string, std::unique_ptr<Storage>> storages,
                  ServiceOptions options);
  void WorkerLoop();
  void PlannerLoop();
  void Run(Transfer t);
  // o: Run's options (temporary suffix, progress, cancel flag); the catalog transfer adds
  // the expected adler32 and overwrites a stale copy.
  void RunCatalogTransfer(Transfer& t, CopyOptions o);
  void RunUrlTransfer(Transfer& t, const CopyOptions& o);
  void Finish(const Transfer& t, bool success, int64_t bytes, TimeMicros started);
  // A failed attempt: retried (recoverable, attempts left) or failed for good.
  void AttemptFailed(const Transfer& t, const Error& error, bool recoverable);
  bool MayStart(const Transfer& t);  // called under the queue's lock
  Storage* StorageFor(const std::string& scheme);
  void RemoveTemporary(const Transfer& t);

  catalog::Catalog& catalog_;
  TransferQueue& queue_;
  const Clock& clock_;
  const std::map<std::string, std::unique_ptr<Storage>> storages_;
  const ServiceOptions options_;
  const Optimizer optimizer_;
  model::Identity system_;  // the service's own identity in the catalog (admin)

  struct Link {
    LinkState state;
    std::deque<LinkSample> samples;
    int active = 0;
    int queued_seen = 0;
    Decision last;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                            // GUARDED_BY(mu_)
  int active_ = 0;                                   // GUARDED_BY(mu_)
  std::map<std::string, Link> links_;                // GUARDED_BY(mu_)
  std::map<int64_t, ProgressInfo> progress_;         // GUARDED_BY(mu_)
  // Each flag shared with the Run that copies the transfer (Cancel and Stop set it).
  std::map<int64_t, std::shared_ptr<std::atomic<bool>>> cancels_;  // GUARDED_BY(mu_)
  std::mt19937_64 random_;                           // GUARDED_BY(mu_)
  std::mutex rules_mu_;  // one rule evaluation at a time (the planner's or AddRule's)
  std::vector<std::thread> workers_;
  std::thread planner_;
};

}  // namespace gantry::transfer
