#include "store/group_commit.h"

#include <algorithm>

namespace gantry::store {

GroupCommitter::GroupCommitter(Store& store, Done done, size_t max_group)
    : store_(store), done_(std::move(done)), max_group_(std::max<size_t>(max_group, 1)),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void GroupCommitter::Submit(int64_t seq, int64_t epoch, Batch batch) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({seq, epoch, std::move(batch)});
  }
  cv_.notify_one();
}

int64_t GroupCommitter::GroupsForTest() {
  std::lock_guard lock(mu_);
  return groups_;
}

int64_t GroupCommitter::LargestGroupForTest() {
  std::lock_guard lock(mu_);
  return largest_group_;
}

void GroupCommitter::Run() {
  while (true) {
    std::vector<Item> stale, group;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopped, and everything is written
      // Epochs only grow along the queue: the stale ones are at its front.
      while (!queue_.empty() && queue_.front().epoch < min_epoch_) {
        stale.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Outcome> outcomes;
    for (const Item& item : stale) {
      // The caller's answer names the cause (a full disk, a lock held by another process),
      // as it would had its own write failed.
      std::lock_guard lock(mu_);
      outcomes.push_back({item.seq, item.epoch, Fail(last_failure_)});
    }
    if (!group.empty()) {
      std::vector<const Batch*> batches;
      batches.reserve(group.size());
      for (const Item& item : group) batches.push_back(&item.batch);
      Status written = store_.CommitAll(batches);
      {
        std::lock_guard lock(mu_);
        ++groups_;
        largest_group_ = std::max<int64_t>(largest_group_, static_cast<int64_t>(group.size()));
        if (!written) {
          min_epoch_ = std::max(min_epoch_, group.back().epoch + 1);
          last_failure_ = written.error();
        }
      }
      for (const Item& item : group) outcomes.push_back({item.seq, item.epoch, written});
    }
    done_(outcomes);
  }
}

}  // namespace gantry::store
