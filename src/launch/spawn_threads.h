// SpawnThreads: helper threads that spawn ranks in parallel and stay alive until the node
// part of the launcher ends. They must: a rank's parent-death signal (rank_spawner.h) fires
// when the *thread* that forked it exits, so a helper that ended after the start-up would
// take its ranks with it. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gantry::launch {

class SpawnThreads {
 public:
  explicit SpawnThreads(size_t count);
  ~SpawnThreads();  // stops and joins the threads
  SpawnThreads(const SpawnThreads&) = delete;
  SpawnThreads& operator=(const SpawnThreads&) = delete;

  size_t size() const { return threads_.size(); }
  // Starts `work` on every helper thread; `work` must outlive the next Wait().
  void Begin(const std::function<void()>& work);
  // Returns when every helper has returned from the work of the last Begin().
  void Wait();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void()>* work_ = nullptr;  // GUARDED_BY(mu_)
  uint64_t generation_ = 0;                      // GUARDED_BY(mu_)
  size_t running_ = 0;                           // GUARDED_BY(mu_)
  bool stop_ = false;                            // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace gantry::launch
