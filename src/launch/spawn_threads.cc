#include "launch/spawn_threads.h"

namespace gantry::launch {

SpawnThreads::SpawnThreads(size_t count) {
  for (size_t i = 0; i < count; ++i) threads_.emplace_back([this] { Loop(); });
}

SpawnThreads::~SpawnThreads() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void SpawnThreads::Begin(const std::function<void()>& work) {
  {
    std::lock_guard lock(mu_);
    work_ = &work;
    running_ = threads_.size();
    ++generation_;
  }
  wake_.notify_all();
}

void SpawnThreads::Wait() {
  std::unique_lock lock(mu_);
  done_.wait(lock, [&] { return running_ == 0; });
  work_ = nullptr;
}

void SpawnThreads::Loop() {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void()>* work;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      work = work_;
    }
    (*work)();
    {
      std::lock_guard lock(mu_);
      --running_;
    }
    done_.notify_all();
  }
}

}  // namespace gantry::launch
