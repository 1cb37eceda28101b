// PilotFactory: decides when to place pilots (gantry agents run as SLURM batch jobs) and
// follows them through SLURM (docs/pilots.md). Pure: the caller feeds it what the broker and
// SLURM report and carries out its plan (sbatch, scancel, credentials); time comes from an
// injected Clock. Thread-compatible: the server's pilot thread owns it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "pilots/slurm_output.h"

namespace gantry::pilots {

struct FactoryConfig {
  int64_t max_pilots = 1;          // --pilot-max: pilots alive at once (queued or running)
  int64_t cores = 1;               // cores each pilot asks SLURM for (and offers)
  int64_t time_seconds = 3600;     // --pilot-time: each pilot's SLURM time limit
  int64_t idle_seconds = 120;      // --pilot-idle: a pilot with nothing to do leaves
  int64_t burst = 10;              // submissions per decision at most
  // Backoff of a cluster whose pilots fail to start: base * 2^(failures-1), at most max.
  int64_t backoff_base_seconds = 10;
  int64_t backoff_max_seconds = 600;
  // A pilot running in SLURM that has not connected by then is cancelled: a start failure.
  int64_t connect_timeout_seconds = 300;
  // A pilot queued in SLURM longer than this is cancelled (its credential would expire);
  // not a failure: the cluster is busy.
  int64_t queue_timeout_seconds = 3600;
  // A submitted pilot that neither squeue nor sacct knows after this long has ended.
  int64_t unknown_grace_seconds = 60;
  // The pilot agent's --kill-grace: a job's time limit plus this must end before the pilot.
  int64_t kill_grace_seconds = 5;
};

// Ready work that a pilot could take: jobs of the pilots' partition whose size and time
// limit fit a pilot.
struct Demand {
  int64_t tasks = 0;
  int64_t cpus = 0;
};

// A pilot as the broker sees it (by agent name).
struct PilotAgent {
  bool live = false;
  int64_t free_cpus = 0;
  int64_t running = 0;
};

struct Pilot {
  std::string slurm_id;
  std::string name;  // its agent name: "pilot-<slurm id>"
  TimeMicros submitted = 0;
  TimeMicros started = 0;     // first seen running in SLURM (0: not yet)
  TimeMicros connected = 0;   // first seen as a live agent (0: never)
  SlurmPhase phase = SlurmPhase::kQueued;
  std::string slurm_state = "SUBMITTED";  // SLURM's word, or SUBMITTED before squeue
  std::string slurm_reason;
  bool live = false;          // a live agent right now
  int64_t running = 0;        // attempts on it
  int64_t free_cpus = 0;      // its free cores (0 unless live)
  bool cancel_sent = false;   // the factory cancelled it (not a failure when it ends)
  std::string note;           // why it was cancelled or counted as a failure
  std::string token_id;       // its credential's jti (revoked when it is forgotten)
  TimeMicros last_seen_in_slurm = 0;
};

struct Plan {
  int64_t submit = 0;                    // pilots to submit now
  std::vector<std::string> cancel;       // SLURM ids to scancel
  std::vector<Pilot> forget;             // ended: revoke, Leave, remove their files
};

struct FactoryStatus {
  int64_t failures = 0;           // consecutive start failures
  TimeMicros backoff_until = 0;   // no submissions before (0: none)
  std::string last_error;         // the last failure, in words
  int64_t submitted_total = 0;
  int64_t failed_total = 0;
};

class PilotFactory {
 public:
  PilotFactory(FactoryConfig config, const Clock& clock);

  // What to do now, given the waiting work. Ended pilots are handed over in Plan::forget
  // and dropped; cancels are marked as sent.
  Plan Decide(const Demand& demand);

  // sbatch succeeded / failed (a failure backs the cluster off).
  void Submitted(const std::string& slurm_id, const std::string& token_id);
  void SubmitFailed(const std::string& why);
  // What squeue/sacct said of the pilots' ids (QueryIds); ids missing are unknown to SLURM.
  void ObserveSlurm(const std::map<std::string, SlurmJobInfo>& jobs);
  // squeue did not answer: a failure (backoff), the pilots keep their last state.
  void SlurmUnreachable(const std::string& why);
  // The broker's view of the pilots, by agent name (missing: not seen).
  void ObserveAgents(const std::map<std::string, PilotAgent>& agents);

  std::vector<std::string> QueryIds() const;
  std::vector<Pilot> Pilots() const;
  const FactoryStatus& status() const { return status_; }
  const FactoryConfig& config() const { return config_; }
  // Whether a job of this size and time limit (0: none) fits a pilot.
  bool Fits(int64_t cpus, int64_t time_limit_seconds) const;
  // How long a pilot's agent stays (its --lifetime): its SLURM limit less the margin it
  // keeps to leave before SLURM's end.
  int64_t LifetimeSeconds() const;
  // The longest time limit a fresh pilot takes: its lifetime less the kill grace.
  int64_t LongestJobSeconds() const;
  // Seconds a pilot keeps between its own end and SLURM's.
  static int64_t MarginSeconds(int64_t time_seconds);

  static std::string NameFor(const std::string& slurm_id) { return "pilot-" + slurm_id; }

 private:
  void Failure(const std::string& why);
  void Success();

  const FactoryConfig config_;
  const Clock& clock_;
  std::map<std::string, Pilot> pilots_;  // by SLURM id
  FactoryStatus status_;
};

}  // namespace gantry::pilots
