// The bounds of every numeric JobSpec field, in one place: gantry submit (src/submit), the
// JSON decoder and ValidateJobSpec all read them, so the CLI and the HTTP API refuse the
// same values with the same numbers in the message. docs/api.md lists them. Pure, constexpr.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/clock.h"
#include "base/error.h"

namespace gantry::model {

// Large enough for any single machine, small enough that products (ntasks x cpus_per_task,
// memory per CPU x CPUs) stay far inside int64.
inline constexpr int64_t kMaxCount = 1'000'000;
// 2^40 MiB = 1 EiB: anything above is a typo; in bytes it still fits in int64.
inline constexpr int64_t kMaxMemoryMb = int64_t{1} << 40;
// 100 years (the bound of a 32-bit SLURM limit in seconds); in microseconds it fits in int64.
inline constexpr int64_t kMaxTimeLimitSeconds = 100LL * 365 * 86400;
inline constexpr int64_t kMaxRetries = 100;
// SLURM's range: NICE_OFFSET - 3 either way. Negative values need a privileged caller.
inline constexpr int64_t kMaxNice = 2147483645;
inline constexpr int64_t kMaxArrayTasks = 1'000'000;
inline constexpr int64_t kMaxArrayTaskId = 4'000'000;
// 9999-12-31T23:59:59.999999Z, the last instant a 4-digit year can name.
inline constexpr TimeMicros kMaxBeginTime = 253'402'300'800LL * kMicrosPerSecond - 1;

// The input sandbox travels inside the job (stored with it, sent with each attempt): small
// files only; data sets belong in the catalog. Output files come back one HTTP request each.
inline constexpr int64_t kMaxInputSandboxBytes = 8 * 1024 * 1024;
inline constexpr int64_t kMaxSandboxFiles = 100;
inline constexpr int64_t kMaxOutputFileBytes = 60 * 1024 * 1024;

// An integer field's JSON name and its inclusive range.
struct IntLimit {
  std::string_view field;
  int64_t min;
  int64_t max;
};

inline constexpr IntLimit kNtasksLimit{"ntasks", 1, kMaxCount};
inline constexpr IntLimit kCpusPerTaskLimit{"cpus_per_task", 1, kMaxCount};
inline constexpr IntLimit kMemoryMbLimit{"memory_mb", 0, kMaxMemoryMb};
inline constexpr IntLimit kGpusLimit{"gpus", 0, kMaxCount};
inline constexpr IntLimit kTimeLimitLimit{"time_limit_seconds", 0, kMaxTimeLimitSeconds};
inline constexpr IntLimit kBeginTimeLimit{"begin_time", 0, kMaxBeginTime};
inline constexpr IntLimit kNiceLimit{"nice", -kMaxNice, kMaxNice};
inline constexpr IntLimit kMaxRetriesLimit{"max_retries", 0, kMaxRetries};
inline constexpr IntLimit kMaxConcurrentLimit{"array.max_concurrent", 0, kMaxArrayTasks};
inline constexpr IntLimit kArrayTaskIdLimit{"array.task_ids", 0, kMaxArrayTaskId};

// "field 'ntasks' is out of range (got 0): must be from 1 to 1000000". `got` is the value as
// the caller saw it (a JSON number may be too large for int64: "1e+30").
Error OutOfRange(const IntLimit& limit, std::string_view got);
Status CheckLimit(const IntLimit& limit, int64_t value);
// "field 'array.task_runs' has too many tasks: an array may have at most 1000000".
Error TooManyTasks(std::string_view field);

// A negative nice raises a job above other users' work, so only a privileged caller (root,
// the server's own user, an admin) may give one, as sbatch --nice.
Status CheckNicePermission(int64_t nice, bool privileged);

}  // namespace gantry::model
