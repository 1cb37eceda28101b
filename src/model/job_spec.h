// JobSpec: what a user asked for, after parsing (sbatch script, JDL, JSON), before the
// broker has seen it. A plain value type: thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"

namespace gantry::model {

// -a/--array: the task ids in submission order, and %max-concurrent (0 = unlimited).
struct ArraySpec {
  std::vector<int64_t> task_ids;  // ascending, no repeats
  int64_t max_concurrent = 0;
  std::string text;  // as the user wrote it, for display ("0-15:4%2")
};

enum class DependencyType { kAfter, kAfterOk, kAfterAny, kAfterNotOk, kSingleton };

// One clause of -d/--dependency. job_ids are the user's ids: "12" (a whole job or array)
// or "12_3" (one array task). Singleton has no ids.
struct Dependency {
  DependencyType type = DependencyType::kAfterOk;
  std::vector<std::string> job_ids;
};

struct JobSpec {
  std::string name;            // -J; default: script file name, or "wrap"
  std::string script;          // batch script text, run with its #! interpreter (default /bin/sh)
  std::string script_name;     // the file name the script came from, for messages
  std::vector<std::string> script_args;  // positional arguments after the script name
  std::string submit_dir;      // where the user submitted from (absolute)
  std::string working_dir;     // -D; default submit_dir (absolute)
  std::string stdout_pattern;  // -o, unexpanded (%j %A %a %x %u %%); "" = slurm-%j.out / %A_%a
  std::string stderr_pattern;  // -e, unexpanded; "" = same file as stdout
  // --open-mode: existing output files are truncated (SLURM's default, JobFileAppend=0) or
  // appended to; every attempt, requeued ones too, opens them the same way.
  enum class OpenMode { kTruncate, kAppend };
  OpenMode open_mode = OpenMode::kTruncate;
  int64_t ntasks = 1;          // -n
  int64_t cpus_per_task = 1;   // -c
  int64_t memory_mb = 0;       // total for the job; --mem-per-cpu is multiplied out; 0 = none
  int64_t time_limit_seconds = 0;  // -t; 0 = no limit
  std::map<std::string, std::string> environment;  // final environment after --export
  std::optional<ArraySpec> array;
  std::vector<Dependency> dependencies;
  bool dependencies_any = false;  // clauses joined with '?' (any) instead of ',' (all)
  TimeMicros begin_time = 0;      // --begin; 0 = now
  int64_t nice = 0;
  bool hold = false;  // -H
  std::string partition;
  std::string account;
  int64_t max_retries = 0;  // deep retries after a failed attempt
  int64_t gpus = 0;  // --gpus=N, --gres=gpu[:type]:N or RequestGpus: whole devices; 0 = none
  // --exclusive: the job holds its whole node (every core, all memory, every GPU).
  bool exclusive = false;
  // ClassAd matchmaking (docs/classad.md): expression texts, evaluated with the job as MY and
  // the agent's ad as TARGET. Empty requirements match every agent; empty rank is 0.
  std::string requirements;
  std::string rank;
  // Further job ClassAd attributes (name -> expression text), e.g. from JDL or #GANTRY --ad.
  std::map<std::string, std::string> attributes;
  std::vector<std::string> warnings;  // directives accepted but not acted on
  // No shared filesystem (docs/sandbox.md). The input sandbox (--input-files, JDL
  // InputSandbox) travels with the job: each file lands under its name in the attempt's
  // working directory on an agent that does not share the submit host's files. The output
  // sandbox (--output-files, JDL OutputSandbox) names files, relative to the working
  // directory, that come back with stdout and stderr when such an attempt ends.
  struct SandboxFile {
    std::string name;     // where it lands: a relative path without ".." (a base name)
    std::string source;   // where it was read at submission, for messages
    std::string content;  // its bytes
    bool executable = false;  // lands with mode 0755 (else 0644)
  };
  std::vector<SandboxFile> input_files;
  std::vector<std::string> output_files;

  // Cores the job holds while it runs: -n times -c.
  int64_t TotalCpus() const { return ntasks * cpus_per_task; }
};

}  // namespace gantry::model
