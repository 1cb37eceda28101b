// UsageRecord: what one attempt of a job consumed and whom it is charged to (the store's
// `usage` table, docs/schema.md; docs/acct.md). Exactly one per attempt that started, written
// by the store in the transaction that ends the attempt, so a retried attempt or an agent
// that is lost and comes back never counts twice. UsageFilter: which records a reader wants.
// Plain value types: thread-compatible.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace gantry::model {

// A record as a reader sees it. The strings are views into the reader's current row: valid
// only until the reader moves on (copy what you keep).
struct UsageRecord {
  int64_t attempt_id = 0;
  int64_t task_id = 0;
  int64_t job_id = 0;
  int64_t array_index = -1;  // -1: not an array task
  int64_t attempt = 0;       // 1, 2, ... within the task
  std::string_view user;     // the owner's login name
  int64_t uid = 0;
  std::string_view group;  // the job's primary group ("/cms/prod"), "" if none
  std::string_view vo;
  std::string_view account;  // -A, else the group, else the VO, else the user
  std::string_view partition;
  std::string_view job_name;
  std::string_view agent;
  TimeMicros submit_time = 0;
  TimeMicros start_time = 0;
  TimeMicros end_time = 0;
  int64_t cores = 0;
  int64_t gpus = 0;
  double elapsed_seconds = 0;  // end - start
  double user_cpu_seconds = 0;
  double system_cpu_seconds = 0;
  int64_t max_rss_kb = 0;
  std::string_view
      state;  // sacct's: COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL
  int exit_code = 0;
  int signal = 0;

  double CoreSeconds() const { return static_cast<double>(cores) * elapsed_seconds; }
  double GpuSeconds() const { return static_cast<double>(gpus) * elapsed_seconds; }
};

// The members of a record a reader can fill, one per column of the `usage` table. A scan
// that names fewer reads fewer (a month of one user is a million rows: each column costs).
enum class UsageColumn {
  kAttemptId, kTaskId, kJobId, kArrayIndex, kAttempt, kUser, kUid, kGroup, kVo, kAccount,
  kPartition, kJobName, kAgent, kSubmitTime, kStartTime, kEndTime, kCores, kGpus,
  kUserCpu, kSystemCpu, kMaxRss, kState, kExitCode, kSignal,
  kCount  // not a column
};

// A set of UsageColumns. Members not in the set keep UsageRecord's defaults; elapsed_seconds
// needs both kStartTime and kEndTime.
class UsageColumns {
 public:
  static UsageColumns All() {
    return UsageColumns((1u << static_cast<int>(UsageColumn::kCount)) - 1);
  }
  UsageColumns() = default;
  UsageColumns(std::initializer_list<UsageColumn> columns) {
    for (UsageColumn c : columns) Add(c);
  }
  UsageColumns& Add(UsageColumn c) {
    bits_ |= 1u << static_cast<int>(c);
    return *this;
  }
  UsageColumns& Add(UsageColumns other) {
    bits_ |= other.bits_;
    return *this;
  }
  bool Has(UsageColumn c) const { return (bits_ >> static_cast<int>(c)) & 1u; }
  bool operator==(const UsageColumns&) const = default;

 private:
  explicit UsageColumns(uint32_t bits) : bits_(bits) {}
  uint32_t bits_ = 0;
};

// Which records to read. Empty lists match everything. The time window selects attempts
// that ran at some moment in [start, end] (as sacct -S/-E do). Access: unless `all_visible`,
// only records of `visible_uid` or of a VO in `visible_vos`.
struct UsageFilter {
  std::vector<std::string> users;
  std::vector<std::string> accounts;
  std::vector<std::string> vos;
  std::vector<std::string> groups;
  std::vector<std::string> states;  // sacct state names
  std::vector<int64_t> job_ids;     // jobs (whole arrays) by id
  TimeMicros start = 0;
  TimeMicros end = INT64_MAX;
  bool all_visible = false;
  int64_t visible_uid = -1;
  std::vector<std::string> visible_vos;
  UsageColumns columns = UsageColumns::All();  // which members of each record to fill
};

}  // namespace gantry::model
