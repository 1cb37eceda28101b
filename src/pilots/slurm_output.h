// What SLURM's clients print, parsed: `sbatch --parsable`, `squeue` and `sacct` in the
// formats SlurmCommands asks for (docs/pilots.md). Pure, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::pilots {

// Where a SLURM job is in its life, as far as a pilot factory cares.
enum class SlurmPhase {
  kQueued,   // PENDING, REQUEUED, REQUEUE_HOLD, RESV_DEL_HOLD, REQUEUE_FED
  kRunning,  // RUNNING, CONFIGURING, COMPLETING, SUSPENDED, STOPPED, SIGNALING, STAGE_OUT, RESIZING
  kEnded,    // COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE,
             // OUT_OF_MEMORY, SPECIAL_EXIT, REVOKED
};
std::string_view SlurmPhaseName(SlurmPhase phase);  // "queued", "running", "ended"

struct SlurmJobInfo {
  std::string id;
  SlurmPhase phase = SlurmPhase::kQueued;
  std::string state;   // SLURM's word: "PENDING", "CANCELLED", ...
  std::string reason;  // squeue %r ("Priority", "Resources", "None"), or sacct's ExitCode
};

// A state word of squeue %T or sacct State ("CANCELLED by 0" counts as CANCELLED; sacct
// abbreviates nothing with -P). Unknown words are an error naming them.
Result<SlurmPhase> ParseSlurmState(std::string_view word);

// `sbatch --parsable` prints "JOBID" or "JOBID;CLUSTER": the job id.
Result<std::string> ParseSbatchParsable(std::string_view output);

// `squeue --noheader --states=all --format=%i|%T|%r` lines: by job id. Blank lines are
// skipped; a malformed line is an error naming its line number.
Result<std::map<std::string, SlurmJobInfo>> ParseSqueue(std::string_view output);

// `sacct --noheader --parsable2 --allocations --format=JobID,State,ExitCode` lines: by job
// id (steps such as "12.batch" are skipped, as --allocations does).
Result<std::map<std::string, SlurmJobInfo>> ParseSacct(std::string_view output);

}  // namespace gantry::pilots
