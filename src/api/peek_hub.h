// PeekHub: the server's half of `gantry logs -f` for attempts on agents that share no
// filesystem with it, as condor_tail: a reader asks for one chunk of a running attempt's
// stdout or stderr; the attempt's agent, long-polling its peek channel, reads that chunk in
// its sandbox and answers. The server holds at most one chunk per waiting reader, never a
// whole file. Thread-safe: one mutex; Peek and Wait block on cv_ without holding it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gantry::api {

class PeekHub {
 public:
  struct Request {
    int64_t id = 0;
    int64_t attempt_id = 0;
    std::string stream;  // "stdout" or "stderr"
    int64_t offset = 0;
    int64_t max = 0;
  };
  struct Answer {
    bool found = false;  // the agent has the attempt's sandbox (false: it ended, or shares files)
    std::string data;
  };
  static constexpr int64_t kMaxChunk = 64 * 1024;

  // The reader's side: nullopt at once when the agent has no live peek channel, or when it
  // did not answer within timeout.
  std::optional<Answer> Peek(const std::string& agent, int64_t attempt_id, std::string stream,
                             int64_t offset, int64_t max, std::chrono::milliseconds timeout);
  // The agent's side: the requests for it, waiting up to wait for one to come.
  std::vector<Request> Wait(const std::string& agent, std::chrono::milliseconds wait);
  // The agent answers request id (one nobody waits for any more is dropped).
  void Reply(int64_t id, Answer answer);
  // Wakes every waiter; they return at once from then on.
  void Shutdown();

 private:
  struct Channel {
    std::deque<Request> queue;
    std::chrono::steady_clock::time_point last_seen;
    int waiting = 0;
  };
  // A channel is live while its agent is waiting or waited within this long.
  static constexpr std::chrono::seconds kLiveFor{45};

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Channel> channels_;             // GUARDED_BY(mu_)
  std::map<int64_t, std::optional<Answer>> answers_;    // GUARDED_BY(mu_): waiting readers
  int64_t next_id_ = 1;                                 // GUARDED_BY(mu_)
  bool shutdown_ = false;                               // GUARDED_BY(mu_)
};

}  // namespace gantry::api
