// The broker's side of the sandboxes (docs/sandbox.md): which attempt an agent may return
// files for, and the journal entries for what came back and what did not.
#include "broker/broker.h"

namespace gantry::broker {

Result<SandboxAttempt> Broker::SandboxAttemptOf(const std::string& agent_id, int64_t attempt_id) {
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  // The answer is read from the decided view and given once what it shows is durable (a
  // change is visible only then): an attempt whose task a transaction still in flight
  // changed is answered after that transaction lands, or as the store has it if it fails.
  for (int round = 0;; ++round) {
    int64_t depends_on = 0;  // the transaction the answer reads, 0: durable already
    Result<SandboxAttempt> found = [&]() -> Result<SandboxAttempt> {
      auto it = attempts_.find(attempt_id);
      if (it == attempts_.end() || it->second.agent != agent_id) {
        return Fail(NotFound("attempt " + std::to_string(attempt_id) +
                             " is not running on agent " + agent_id));
      }
      auto task = active_.find(it->second.task_id);
      if (task == active_.end()) {
        return Fail(NotFound("the task of attempt " + std::to_string(attempt_id) +
                             " has ended"));
      }
      return SandboxAttempt{it->second, task->second.task, task->second.job};
    }();
    if (found) {
      auto u = undurable_.find(found->task.id);
      if (u != undurable_.end()) depends_on = u->second.last_seq;
    } else if (round == 0) {
      // Its end may be in flight: wait for what was decided before this call, once.
      depends_on = flushed_seq_;
    }
    if (depends_on <= settled_seq_) return found;
    if (!AwaitDurable(lock, depends_on)) {
      GANTRY_RETURN_IF_ERROR(Recovered());  // memory was reloaded from the store: read again
    }
  }
}

Status Broker::NoteAttempt(int64_t attempt_id, const std::vector<AttemptNote>& notes,
                           const model::Actor& by) {
  if (notes.empty()) return {};
  std::unique_lock lock(mu_);
  GANTRY_RETURN_IF_ERROR(Recovered());
  auto it = attempts_.find(attempt_id);
  if (it == attempts_.end() || !active_.count(it->second.task_id)) {
    return Fail(NotFound("attempt " + std::to_string(attempt_id) + " is not running"));
  }
  // All the notes of one report are one transaction: one wait for durability.
  Pending p;
  model::Task& t = Edit(p, it->second.task_id);
  for (const AttemptNote& n : notes) Note(p, t, n.type, n.reason, by);
  return CommitLocked(p, lock);
}

}  // namespace gantry::broker
