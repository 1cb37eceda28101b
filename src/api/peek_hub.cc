#include "api/peek_hub.h"

#include <algorithm>

namespace gantry::api {

std::optional<PeekHub::Answer> PeekHub::Peek(const std::string& agent, int64_t attempt_id,
                                             std::string stream, int64_t offset, int64_t max,
                                             std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto now = std::chrono::steady_clock::now();
  auto channel = channels_.find(agent);
  if (shutdown_ || channel == channels_.end() ||
      (channel->second.waiting == 0 && now - channel->second.last_seen > kLiveFor)) {
    return std::nullopt;
  }
  int64_t id = next_id_++;
  channel->second.queue.push_back(
      {id, attempt_id, std::move(stream), offset, std::clamp<int64_t>(max, 1, kMaxChunk)});
  answers_[id] = std::nullopt;
  cv_.notify_all();
  cv_.wait_until(lock, now + timeout, [&] { return shutdown_ || answers_[id].has_value(); });
  std::optional<Answer> out = std::move(answers_[id]);
  answers_.erase(id);
  // Not taken yet (the agent is slow or gone): withdrawn, so it is not answered in vain.
  auto& queue = channels_[agent].queue;
  queue.erase(std::remove_if(queue.begin(), queue.end(),
                             [&](const Request& r) { return r.id == id; }),
              queue.end());
  return out;
}

std::vector<PeekHub::Request> PeekHub::Wait(const std::string& agent,
                                            std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  Channel& channel = channels_[agent];
  channel.waiting++;
  channel.last_seen = std::chrono::steady_clock::now();
  cv_.wait_for(lock, wait, [&] { return shutdown_ || !channel.queue.empty(); });
  channel.waiting--;
  channel.last_seen = std::chrono::steady_clock::now();
  std::vector<Request> out(channel.queue.begin(), channel.queue.end());
  channel.queue.clear();
  return out;
}

void PeekHub::Reply(int64_t id, Answer answer) {
  std::lock_guard lock(mu_);
  auto it = answers_.find(id);
  if (it == answers_.end()) return;
  if (answer.data.size() > static_cast<size_t>(kMaxChunk)) answer.data.resize(kMaxChunk);
  it->second = std::move(answer);
  cv_.notify_all();
}

void PeekHub::Shutdown() {
  std::lock_guard lock(mu_);
  shutdown_ = true;
  cv_.notify_all();
}

}  // namespace gantry::api
