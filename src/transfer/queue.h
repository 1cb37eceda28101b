// TransferQueue: the durable queue of transfers in its own SQLite file
// (GANTRY_HOME/transfers.db), with every attempt's events and the replication rules. A
// transfer is queued, active (an attempt runs), done, failed or cancelled; a server killed
// mid-attempt finds it active at the next start and Recover() queues it again (the attempt
// is recorded as lost, and its temporary file is the caller's to remove). Higher priority
// first, then oldest. Thread-safe (mu_ guards the connection).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"

namespace gantry::store {
class CachedDb;
class Statement;
}  // namespace gantry::store

namespace gantry::transfer {

enum class TransferState { kQueued, kActive, kDone, kFailed, kCancelled };
std::string_view TransferStateName(TransferState state);
Result<TransferState> ParseTransferState(std::string_view text);

struct TransferRequest {
  // A catalog transfer names a file DID and a destination RSE (the source is chosen at each
  // attempt among its available replicas); a plain one names two URLs.
  std::string scope, name;
  std::string source_rse;  // preferred source ("" any)
  std::string dest_rse;
  std::string source_url, dest_url;
  int64_t bytes = 0;
  std::string adler32;
  int priority = 3;  // 1 (lowest) .. 5 (highest), as FTS
  int max_attempts = 5;
  int64_t rule_id = 0;
  std::string owner, vo;
};

struct Transfer {
  int64_t id = 0;
  TransferRequest request;
  TransferState state = TransferState::kQueued;
  int attempts = 0;
  TimeMicros not_before = 0;
  std::string last_error;
  std::string source_rse_used;  // of the current or last attempt
  TimeMicros created = 0, updated = 0;

  std::string Did() const { return request.scope.empty() ? "" : request.scope + ":" + request.name; }
  // "SRC->DST": the link the optimizer limits (RSE names, or URL hosts for plain copies).
  std::string Link() const;
};

struct TransferEvent {
  int64_t transfer_id = 0;
  int64_t seq = 0;
  TimeMicros time = 0;
  std::string type;  // queued, started, done, retry, failed, bad-source, lost, cancelled
  std::string details;
};

struct Rule {
  int64_t id = 0;
  std::string scope, name;
  int copies = 1;
  std::string expression;
  TimeMicros expires = 0;  // 0: never
  std::string owner, vo;
  std::string state = "replicating";  // replicating, ok, stuck, expired
  std::string reason;
  TimeMicros created = 0, updated = 0;
};

class TransferQueue {
 public:
  static Result<std::unique_ptr<TransferQueue>> Open(const std::string& path, const Clock& clock);
  ~TransferQueue();

  Result<int64_t> Enqueue(const TransferRequest& request);
  // Active transfers of a previous run go back to the queue (event "lost"); returns them.
  Result<std::vector<Transfer>> Recover();
  // The best queued transfer whose not_before has come and whose link `may_start` accepts;
  // it becomes active with one more attempt (event "started", details from the caller).
  Result<std::optional<Transfer>> ClaimNext(const std::function<bool(const Transfer&)>& may_start);
  // Where this attempt reads and writes (event "started").
  Status SetEnds(int64_t id, const std::string& source_rse, const std::string& source_url,
                 const std::string& dest_url);
  Status Done(int64_t id, const std::string& details);
  // Back to the queue at not_before (event "retry"), or failed for good (event "failed").
  Status Retry(int64_t id, TimeMicros not_before, const std::string& error);
  Status MarkFailed(int64_t id, const std::string& error);
  Status Cancel(int64_t id);
  Status AddEvent(int64_t id, const std::string& type, const std::string& details);

  Result<Transfer> Get(int64_t id);
  // Newest first; states empty: all.
  Result<std::vector<Transfer>> List(const std::vector<TransferState>& states, int64_t limit);
  Result<std::vector<TransferEvent>> Events(int64_t id);
  // The newest transfer of a file to an RSE (so a rule does not ask twice, and waits after
  // a failure).
  Result<std::optional<Transfer>> Latest(const std::string& scope, const std::string& name,
                                         const std::string& dest_rse);
  Result<int64_t> CountQueued();

  Result<int64_t> AddRule(const Rule& rule);
  Result<std::vector<Rule>> ListRules();
  Result<Rule> GetRule(int64_t id);
  Status SetRuleState(int64_t id, const std::string& state, const std::string& reason);

 private:
  TransferQueue(std::unique_ptr<store::CachedDb> db, const Clock& clock);
  Status EventLocked(int64_t id, const std::string& type, const std::string& details);
  Status SetState(int64_t id, TransferState state, TimeMicros not_before,
                  const std::string& error, const std::string& event, const std::string& details);
  Result<Transfer> Load(store::Statement& row);

  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<store::CachedDb> db_;  // GUARDED_BY(mu_); its statements with it
};

}  // namespace gantry::transfer
