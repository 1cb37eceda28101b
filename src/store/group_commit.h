// GroupCommitter: the store's writer thread. Callers hand it transactions (Batches) in the
// order they decided them and go on; it writes every transaction waiting at that moment in
// one store transaction (one fsync: group commit) and reports their outcomes, in order, on
// its own thread.
//
// Epochs: a transaction is decided on the state the ones before it leave. When a write
// fails, the transactions behind it were decided on a state that never became durable, so
// every transaction of the failed epoch still queued, or submitted later, fails unwritten
// with the failed write's error.
// The caller rebuilds its state from the store and submits with a later epoch.
//
// Thread-safe. Done runs on the committer's thread, without the committer's lock held, once
// per written (or failed) group, with the outcomes in submission order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/error.h"
#include "store/store.h"

namespace gantry::store {

class GroupCommitter {
 public:
  struct Outcome {
    int64_t seq = 0;
    int64_t epoch = 0;
    Status status;
  };
  using Done = std::function<void(const std::vector<Outcome>& outcomes)>;

  // At most max_group transactions go into one store transaction.
  GroupCommitter(Store& store, Done done, size_t max_group = 512);
  // Writes what is queued, then stops the thread.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // seq: the caller's number for the transaction, increasing; epoch: see above.
  void Submit(int64_t seq, int64_t epoch, Batch batch);

  // Store transactions written (successful or not), and the largest group so far.
  int64_t GroupsForTest();
  int64_t LargestGroupForTest();

 private:
  struct Item {
    int64_t seq = 0;
    int64_t epoch = 0;
    Batch batch;
  };
  void Run();

  Store& store_;
  const Done done_;
  const size_t max_group_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;     // GUARDED_BY(mu_)
  bool stop_ = false;          // GUARDED_BY(mu_)
  int64_t min_epoch_ = 0;      // GUARDED_BY(mu_): older epochs fail unwritten
  Error last_failure_{ErrorCode::kInternal, "no write failed"};  // GUARDED_BY(mu_): given
                                                                 // to those, as their error
  int64_t groups_ = 0;         // GUARDED_BY(mu_)
  int64_t largest_group_ = 0;  // GUARDED_BY(mu_)
  std::thread thread_;         // last: it starts once the rest is built
};

}  // namespace gantry::store
