// Broker: the server's job service. It owns the in-memory view of unfinished work (ready
// queue, waiting tasks, attempts on agents) and decides every transition in memory, under its
// mutex; the transition and its events go to the store through a GroupCommitter (one writer
// thread that writes all waiting transactions in one SQLite transaction, one fsync), and the
// caller's answer waits for durability without the mutex held.
//
// Two views: decisions build on the *decided* state (memory follows a transition as soon as
// it is handed to the committer); queries read the *durable* state: a task or tail changed by
// a transaction not yet durable is shown as it was before (Undurable), and a state change
// is visible to answers, queries and agents only once its transaction is durable. A failed
// commit fails the transactions decided after it too, and memory is rebuilt from the store:
// nothing of them is left claimed. An array's untouched tasks live in one model::ArrayTail
// until each is dispatched or steered alone, so a million queued tasks cost one record.
//
// Thread-safe. Lock order: mu_, then the committer's own lock (Submit). The committer's
// callback (Landed) takes mu_ on its thread. Poll, Wait and the wait for durability block
// on condition variables without holding mu_.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "broker/dependency.h"
#include "broker/dependency_index.h"
#include "broker/partitions.h"
#include "classad/classad.h"
#include "broker/types.h"
#include "store/group_commit.h"
#include "store/store.h"

namespace gantry::broker {

struct BrokerOptions {
  // When set, only this uid (and root) may submit: a server that is not root cannot run
  // jobs as anyone but itself.
  std::optional<uint32_t> only_uid;
  // An agent silent for this long is lost; its attempts are requeued or failed.
  int64_t agent_timeout_seconds = 60;
  // The server's partitions, the first the default; none: just "local" (partitions.h).
  std::vector<std::string> partitions;
};

// An attempt with its task and job, as the sandbox routes need them.
struct SandboxAttempt {
  model::Attempt attempt;
  model::Task task;
  std::shared_ptr<const model::Job> job;
};
// A journal entry that changes no state (Broker::NoteAttempt).
struct AttemptNote {
  std::string type;
  std::string reason;
};

class Broker {
 public:
  static Result<std::unique_ptr<Broker>> Create(store::Store& store, const Clock& clock,
                                                BrokerOptions options);
  ~Broker();

  Result<SubmitResult> Submit(const model::Identity& caller, model::JobSpec spec);
  // Each returns how many tasks it changed.
  Result<int64_t> Cancel(const model::Identity& caller, const model::TaskRef& ref);
  Result<int64_t> CancelAll(const model::Identity& caller);
  Result<int64_t> Hold(const model::Identity& caller, const model::TaskRef& ref);
  Result<int64_t> Release(const model::Identity& caller, const model::TaskRef& ref);

  // Unfinished rows come from memory; finished ones (include_finished) from the store's
  // history query, which runs without the lock.
  Result<QueuePage> Queue(const model::Identity& caller, const QueueFilter& filter);
  Result<std::vector<TaskDetail>> Describe(const model::Identity& caller,
                                           const model::TaskRef& ref);
  Result<std::vector<JournalEntry>> Events(const model::Identity& caller,
                                           const model::TaskRef& ref);
  // Blocks until every task ref names has ended, or timeout_ms passes; returns their state
  // (an array's untouched tasks as one row).
  Result<std::vector<TaskSummary>> Wait(const model::Identity& caller, const model::TaskRef& ref,
                                        int64_t timeout_ms);

  // The agent protocol: applies reports, then returns work (waiting up to max_wait_ms).
  // credential: the agent's identity, recorded with the events its reports cause.
  Result<PollResponse> Poll(const PollRequest& request,
                            const model::Identity* credential = nullptr);

  // Makes the agent's pending Poll return now (it has reports to send).
  void Wake(const std::string& agent_id);
  // The agent is going away (clean shutdown): it is no longer live, and what it ran is lost.
  // instance: the leaving agent's (0: unchecked); a stale instance leaves nothing.
  Status Leave(const std::string& agent_id, int64_t instance = 0);

  // Agent steering (docs/security.md: steer-agents): list, drain (the agent finishes what
  // it runs and gets no new work, across restarts too) and resume. caller needs
  // Grants::steer_agents; NotFound for a name never seen and not drained.
  Result<std::vector<AgentInfo>> Agents(const model::Identity& caller);
  Result<AgentInfo> Drain(const model::Identity& caller, const std::string& name,
                          std::string reason);
  Result<AgentInfo> Resume(const model::Identity& caller, const std::string& name);

  // The sandboxes (broker_sandbox.cc, docs/sandbox.md): an unfinished attempt that agent_id
  // runs (NotFound otherwise), answered once the state it shows is durable; and journal
  // entries on its task that change no state, in one transaction.
  Result<SandboxAttempt> SandboxAttemptOf(const std::string& agent_id, int64_t attempt_id);
  Status NoteAttempt(int64_t attempt_id, const std::vector<AttemptNote>& notes,
                     const model::Actor& by);

  // Timers: --begin times, lost agents. Called about once a second.
  void Tick();
  // Wakes every blocked Poll and Wait; they return at once from then on.
  void Shutdown();

  // Polls blocked waiting for work right now.
  int64_t WaitingPollsForTest();
  // Transactions handed to the committer and not yet settled (durable or failed).
  int64_t UndurableForTest();

 private:
  struct ActiveTask {
    model::Task task;
    std::shared_ptr<const model::Job> job;
  };
  struct AgentRecord {
    AgentStatus status;
    TimeMicros last_seen = 0;
    std::set<int64_t> kill_orders;
    std::set<int64_t> withdraw_orders;
    bool wake = false;
    int64_t generation = 0;  // bumped by Leave and loss: polls begun before return empty-handed
    bool lost = false;       // declared lost by Tick; its next poll makes it live again
    int64_t instance = 0;    // the agent process holding the name (0: none known yet)
    bool confirmed = false;  // a poll came back with it: the agent knows it
    std::shared_ptr<const classad::ClassAd> ad;  // parsed status.ad
    bool ad_constrains = false;                  // it has START/Requirements or Rank
    std::vector<std::string> partitions;         // from its ad; checked without evaluation
  };
  // The copies a transition edits and the events it writes; committed together.
  struct Pending {
    store::Batch batch;
    std::map<int64_t, model::Task> tasks;
    std::map<int64_t, model::ArrayTail> tails;  // by job id
    std::map<int64_t, model::Attempt> attempts;  // attempts edited so far (not yet durable)
  };
  // An attempt the server wrote off (its agent was lost) that its agent says still runs: it
  // has been told to kill it, and its task gets no new attempt until the agent stops listing
  // it, so two attempts of one task never run at once on agents that talk to us.
  struct Zombie {
    std::string agent;
    int64_t task_id = 0;
  };
  // An attempt the server asked its agent to take back unstarted (PollResponse::
  // withdraw_attempts), until the agent answers (withdrawn, or started or ended after all).
  struct Withdrawal {
    enum class Purpose { kHold, kPriority };  // then HELD, or READY behind a better job
    enum class Outcome { kPending, kWithdrawn, kStarted };
    Purpose purpose = Purpose::kPriority;
    std::string by;      // who held it, in words
    model::Actor actor;  // and for the journal
    Outcome outcome = Outcome::kPending;
    bool awaited = false;  // a Hold call waits for the outcome (and forgets it)
  };

  // What a TaskRef names: its tasks as memory knows them (an untouched task of a tail is
  // given as the tail's TaskAt) and, when it names a whole array, the array's untouched tail.
  struct Selection {
    std::optional<int64_t> whole_job;
    std::vector<model::Task> tasks;
    std::optional<model::ArrayTail> tail;  // only with untouched tasks left
    uint32_t owner_uid = 0;
  };

  // Which state a read sees: decisions read the decided one, queries the durable one.
  enum class View { kDecided, kDurable };
  // A task that transactions not yet durable changed: as queries see it and as decisions do.
  struct Undurable {
    std::optional<model::Task> durable;  // none: no unfinished task row is durable (new, from
                                         // a tail, or ended): the store tells the rest
    model::Task decided;
    std::shared_ptr<const model::Job> job;
    int64_t last_seq = 0;  // the last transaction that changed it
  };
  struct UndurableTail {
    std::optional<model::ArrayTail> durable;  // none: no unfinished tail is durable
    model::ArrayTail decided;
    std::shared_ptr<const model::Job> job;
    int64_t last_seq = 0;
  };
  // What one transaction changed, to advance the durable view when it lands.
  struct InFlight {
    int64_t seq = 0;
    std::vector<std::pair<model::Task, std::shared_ptr<const model::Job>>> tasks;
    std::vector<std::pair<model::ArrayTail, std::shared_ptr<const model::Job>>> tails;
  };

  Broker(store::Store& store, const Clock& clock, BrokerOptions options,
         PartitionSet partitions);
  static model::Actor Server() { return model::Actor::System("server"); }
  Status Load();
  Status LoadLocked();  // mu_ held

  // Helpers below require mu_ held.
  // The task's copy in p; an untouched task of a tail is materialized (its own Task, with
  // the tail's journal copied) on first edit.
  model::Task& Edit(Pending& p, int64_t task_id);
  model::ArrayTail& EditTail(Pending& p, int64_t job_id);
  // The unfinished tail in memory whose untouched tasks include task_id, or null.
  const model::ArrayTail* TailHolding(int64_t task_id) const;
  void TransitionTail(Pending& p, model::ArrayTail& tail, model::TaskState to,
                      std::string reason, const model::Actor& by);
  void IndexTail(const model::ArrayTail& tail, bool add);
  // Unfinished: an active task, or an untouched task of an unfinished tail.
  bool Live(int64_t task_id) const;
  bool Ended(const Selection& s) const;
  void Transition(Pending& p, model::Task& t, model::TaskState to, std::string type,
                  std::string reason, const model::Actor& by);
  void Note(Pending& p, model::Task& t, std::string type, std::string reason,
            const model::Actor& by);
  // Group commit. Stage: memory (the decided view) follows p at once, the durable view
  // keeps the old values, and p's batch joins the transaction being staged. Flush hands the
  // staged transaction to the committer (its seq; 0 if nothing was staged).
  // AwaitDurable waits (releasing lock) until transaction seq has landed: its error if it
  // failed. CommitLocked is the three in a row.
  void Stage(Pending& p);
  int64_t Flush();
  Status AwaitDurable(std::unique_lock<std::mutex>& lock, int64_t seq);
  Status CommitLocked(Pending& p, std::unique_lock<std::mutex>& lock);
  // Memory follows p (the part of a commit that changes no store).
  void Apply(Pending& p);
  // The committer's report (its thread): the durable view advances, or memory is rebuilt.
  void Landed(const std::vector<store::GroupCommitter::Outcome>& outcomes);
  void AdvanceDurable(int64_t seq);
  // After a failed commit: memory forgets all that is not durable, reloaded from the store.
  // If the store cannot be read, every call fails (Recovered) until a reload succeeds.
  void Reload();
  Status Recovered();
  void Index(const model::Task& t, bool add);

  Result<Selection> Select(const model::TaskRef& ref, View view);  // no access check
  Result<Selection> Resolve(const model::Identity& caller, const model::TaskRef& ref,
                            View view = View::kDecided);
  // Store rows made as new as the view: tasks with ids in [first, end) that memory knows
  // replace (or, in the decided view, join) those the store gave.
  void Overlay(std::vector<model::Task>& tasks, int64_t first, int64_t end, View view) const;
  // The tail whose id range holds task_id, from memory (as the view sees it) or the store.
  Result<std::optional<model::ArrayTail>> TailCovering(int64_t task_id, View view);
  Result<std::optional<model::Job>> FindJob(int64_t job_id, View view);

  Result<std::shared_ptr<const model::Job>> JobOf(int64_t job_id);
  std::optional<JobOutcome> Outcome(const std::string& id);
  bool SingletonBlocked(const model::Job& job);
  // Where a task that is not held goes: READY, WAITING (with why) or CANCELLED.
  std::tuple<model::TaskState, std::string> InitialState(const model::Job& job);
  // Re-decides the waiting jobs a change made due (deps_), not every waiting job.
  void ReevaluateWaiting(Pending& p);
  // Its last unfinished task ended: memory forgets the job.
  void ForgetJob(int64_t job_id);
  void FinishAttempt(Pending& p, const AttemptReport& report, const model::Actor& by);
  void LoseAttempt(Pending& p, int64_t attempt_id, const std::string& why);
  // Ids of the unfinished attempts on one agent (LoseAttempt leaves attempts_ unchanged
  // until the commit, so callers may lose them one by one).
  std::vector<int64_t> AttemptsOn(const std::string& agent_id) const;
  // Hands the agent work that fits its free cores and memory (array tasks also its queue).
  void Assign(Pending& p, const std::string& agent_id, const AgentStatus& room,
              PollResponse& out);
  // Creates the attempt that sends task_id to agent_id.
  void Start(Pending& p, int64_t task_id, const std::shared_ptr<const model::Job>& job,
             const std::string& agent_id, PollResponse& out);
  std::string Why(const model::Task& t, const model::Job& job);
  // Pure: safe without mu_.
  static TaskSummary Summarize(const model::Task& t, const model::Job& job);
  static TaskSummary SummarizeTail(const model::ArrayTail& tail, const model::Job& job);
  struct QueueRow;
  // The rows of a tail's untouched tasks that filter selects (one row for all, or one per
  // task when job selectors name some of them), with keys below `before`.
  static void TailRows(const model::ArrayTail& tail, const model::Job& job, const QueueFilter& filter,
                int64_t before, std::vector<QueueRow>& out);
  std::vector<TaskSummary> SummarizeSelection(const Selection& s, const model::Job& job);
  // Whether caller may see and steer a job of owner_uid in VO owner_vo (docs/security.md):
  // its own, every job for an admin, its VOs' jobs for a see-vo role.
  static bool Visible(const model::Identity& caller, uint32_t owner_uid,
                      const std::string& owner_vo);
  // The job's ClassAd, built once; null if it cannot be built (refused at submission).
  std::shared_ptr<const classad::ClassAd> JobAd(const model::Job& job);
  // Whether the job may run on agent_id, and it would not rather run on another live
  // agent that has room and a higher Rank.
  bool MatchesHere(const model::Job& job, const std::string& agent_id);
  bool AgentLive(const AgentRecord& agent) const;
  // Whether the agent belongs to the job's partition (jobs stored before partitions were
  // resolved at submission have none: the default).
  bool InPartition(const AgentRecord& agent, const model::Job& job) const;
  bool Drained(const std::string& agent_id) const { return drains_.count(agent_id) > 0; }
  AgentInfo AgentInfoOf(const std::string& name) const;  // mu_ held
  // Gives the poll's agent the name's instance, or refuses it: another live agent holds it.
  Status Register(const PollRequest& request, AgentRecord& agent);
  PollResponse EmptyHanded(const PollRequest& request);  // no work, but the instance
  bool Fenced(int64_t task_id) const;
  // Forgets the zombies of agent_id (it left or was lost: nobody can say what still runs).
  void DropZombies(const std::string& agent_id);
  // Waits (releasing lock) until the agents answered the withdrawals of attempts, or a few
  // seconds; returns how many were taken back.
  int64_t AwaitWithdrawals(std::unique_lock<std::mutex>& lock, const std::vector<int64_t>& attempts);
  // Asks the attempt's agent to take it back unstarted (a hold outranks a priority request).
  void AskWithdraw(const model::Attempt& attempt, Withdrawal w);
  // Notes what the reports of a committed poll say of pending withdrawals.
  // `ended`: attempts the commit ended (lost ones among them).
  void ResolveWithdrawals(const std::vector<AttemptReport>& reports,
                          const std::vector<model::Attempt>& ended);
  // Asks agent_id to take back its queued, unstarted attempts of lower priority than key
  // (a job that waits for this agent's cores), so they do not start before it.
  void WithdrawBehind(const std::string& agent_id, const std::tuple<int64_t, int64_t, int64_t>& key);
  std::tuple<int64_t, int64_t, int64_t> ReadyKey(int64_t task_id, const model::Job& job) const;

  store::Store& store_;
  const Clock& clock_;
  const BrokerOptions options_;
  const PartitionSet partitions_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool shutdown_ = false;
  int64_t waiting_polls_ = 0;
  int64_t next_id_ = 1;
  int64_t next_attempt_id_ = 1;
  int64_t last_instance_ = 0;
  std::map<int64_t, ActiveTask> active_;                   // unfinished tasks by id
  std::map<int64_t, std::shared_ptr<const model::Job>> jobs_;  // jobs with unfinished tasks
  std::map<int64_t, int64_t> active_per_job_;  // active tasks, +1 for an unfinished tail
  std::map<int64_t, int64_t> running_per_job_;             // SCHEDULED + RUNNING
  // (nice, job id, task id); a READY tail is there once, as its first untouched task.
  std::set<std::tuple<int64_t, int64_t, int64_t>> ready_;
  std::set<int64_t> waiting_;
  DependencyIndex deps_;  // the jobs of waiting_ and waiting_tails_, by what they wait for
  std::map<int64_t, model::ArrayTail> tails_;  // unfinished tails by job id
  std::set<int64_t> waiting_tails_;            // job ids of tails in WAITING
  std::set<std::tuple<int64_t, int64_t>> ready_tails_;  // (nice, job id) of READY tails
  std::map<int64_t, model::Attempt> attempts_;             // unfinished attempts by id
  std::map<std::string, AgentRecord> agents_;
  std::map<std::string, store::AgentDrain> drains_;  // drained agents, by name
  std::map<int64_t, Zombie> zombies_;                      // by attempt id
  std::map<int64_t, Withdrawal> withdrawals_;              // by attempt id
  std::map<int64_t, std::shared_ptr<const classad::ClassAd>> job_ads_;  // jobs with constraints

  // Group commit (all under mu_).
  std::condition_variable durable_cv_;   // a transaction settled
  int64_t epoch_ = 0;                    // bumped by each failed commit (GroupCommitter)
  int64_t next_seq_ = 1;
  int64_t flushed_seq_ = 0;              // the last transaction handed to the committer
  int64_t settled_seq_ = 0;              // the last one that landed or failed
  std::map<int64_t, Error> failures_;    // failed transactions, by seq (a few, kept)
  std::optional<Error> reload_error_;    // the store could not be read after a failure
  store::Batch staged_batch_;
  InFlight staging_;
  std::deque<InFlight> in_flight_;                   // handed over, not yet durable
  std::map<int64_t, Undurable> undurable_;           // by task id
  std::map<int64_t, UndurableTail> undurable_tails_;  // by job id
  // Last: destroyed first, it writes what is queued while the rest still stands.
  std::unique_ptr<store::GroupCommitter> committer_;
};

}  // namespace gantry::broker
