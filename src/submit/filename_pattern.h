// -o/-e filename patterns (%j %A %a %x %u %% ...), expanded the way SLURM expands them for
// a batch script. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/job_spec.h"

namespace gantry::submit {

// The ids a pattern refers to. For an array task, job_id is the task's own id, array_job_id
// the id of the whole array and array_task_id the index; for a plain job array_job_id is 0.
struct JobIds {
  int64_t job_id = 0;
  int64_t array_job_id = 0;
  std::optional<int64_t> array_task_id;
};

// sbatch's defaults: "slurm-%A_%a.out" for arrays, "slurm-%j.out" otherwise.
std::string DefaultOutputPattern(bool is_array);

// Replaces, as sbatch does for the batch step:
//   %% -> %      %j -> job id       %J -> job id         %A -> array job id (job id if none)
//   %a -> array task id (4294967294, SLURM's "no value", if none)   %b -> task id modulo 10
//   %x -> job name   %u -> user   %N -> hostname (left as "%N" when hostname is empty)
//   %n -> 0 (node index)   %t -> 0 (task rank)   %s -> "batch"   %r -> 0 (restart count)
// A number after % zero-pads numeric fields ("%4j" -> 0042; at most 10). Unknown %X stays as
// written. A pattern containing a backslash is not expanded at all; its backslashes are
// dropped. The result may be relative: it is relative to the job's working directory.
std::string ExpandFilenamePattern(std::string_view pattern, const JobIds& ids,
                                  std::string_view job_name, std::string_view user,
                                  std::string_view hostname = {});

// The job's stdout path: its -o pattern (or the default) expanded and joined to
// working_dir when relative.
std::string StdoutPath(const model::JobSpec& spec, const JobIds& ids, std::string_view user,
                       std::string_view hostname = {});
// The job's stderr path, or "" when stderr goes to the stdout file (no -e).
std::string StderrPath(const model::JobSpec& spec, const JobIds& ids, std::string_view user,
                       std::string_view hostname = {});

}  // namespace gantry::submit
