// ColumnsOf must name every member AppendField reads: the reader fills only those
// (UsageFilter::columns), so a missing one would print a default instead of the value.
#include "acct/fields.h"

#include <gtest/gtest.h>

#include "acct/request.h"
#include "acct/writer.h"

namespace gantry::acct {
namespace {

using model::UsageColumn;
using model::UsageColumns;
using model::UsageRecord;

// Every member set, each to a value no default has.
UsageRecord Full() {
  UsageRecord r;
  r.attempt_id = 71;
  r.task_id = 72;
  r.job_id = 73;
  r.array_index = 4;
  r.attempt = 2;
  r.user = "alice";
  r.uid = 1234;
  r.group = "/cms/prod";
  r.vo = "cms";
  r.account = "physics";
  r.partition = "batch";
  r.job_name = "sim";
  r.agent = "node7";
  r.submit_time = 1793491200LL * kMicrosPerSecond;
  r.start_time = r.submit_time + 60 * kMicrosPerSecond;
  r.end_time = r.start_time + 5000 * kMicrosPerSecond;
  r.elapsed_seconds = 5000;
  r.cores = 8;
  r.gpus = 2;
  r.user_cpu_seconds = 3000.5;
  r.system_cpu_seconds = 12.25;
  r.max_rss_kb = 2048000;
  r.state = "FAILED";
  r.exit_code = 3;
  r.signal = 9;
  return r;
}

// What the reader would hand over when asked for `columns` only.
UsageRecord Project(const UsageRecord& f, UsageColumns columns) {
  UsageRecord r;
  auto has = [&](UsageColumn c) { return columns.Has(c); };
  if (has(UsageColumn::kAttemptId)) r.attempt_id = f.attempt_id;
  if (has(UsageColumn::kTaskId)) r.task_id = f.task_id;
  if (has(UsageColumn::kJobId)) r.job_id = f.job_id;
  if (has(UsageColumn::kArrayIndex)) r.array_index = f.array_index;
  if (has(UsageColumn::kAttempt)) r.attempt = f.attempt;
  if (has(UsageColumn::kUser)) r.user = f.user;
  if (has(UsageColumn::kUid)) r.uid = f.uid;
  if (has(UsageColumn::kGroup)) r.group = f.group;
  if (has(UsageColumn::kVo)) r.vo = f.vo;
  if (has(UsageColumn::kAccount)) r.account = f.account;
  if (has(UsageColumn::kPartition)) r.partition = f.partition;
  if (has(UsageColumn::kJobName)) r.job_name = f.job_name;
  if (has(UsageColumn::kAgent)) r.agent = f.agent;
  if (has(UsageColumn::kSubmitTime)) r.submit_time = f.submit_time;
  if (has(UsageColumn::kStartTime)) r.start_time = f.start_time;
  if (has(UsageColumn::kEndTime)) r.end_time = f.end_time;
  if (has(UsageColumn::kStartTime) && has(UsageColumn::kEndTime)) {
    r.elapsed_seconds = f.elapsed_seconds;
  }
  if (has(UsageColumn::kCores)) r.cores = f.cores;
  if (has(UsageColumn::kGpus)) r.gpus = f.gpus;
  if (has(UsageColumn::kUserCpu)) r.user_cpu_seconds = f.user_cpu_seconds;
  if (has(UsageColumn::kSystemCpu)) r.system_cpu_seconds = f.system_cpu_seconds;
  if (has(UsageColumn::kMaxRss)) r.max_rss_kb = f.max_rss_kb;
  if (has(UsageColumn::kState)) r.state = f.state;
  if (has(UsageColumn::kExitCode)) r.exit_code = f.exit_code;
  if (has(UsageColumn::kSignal)) r.signal = f.signal;
  return r;
}

TEST(FieldsTest, EachFieldPrintsTheSameFromOnlyTheColumnsItNames) {
  UsageRecord full = Full();
  for (const FieldInfo& info : AllFields()) {
    std::string want, got;
    DateWriter dates(0);
    AppendField(info.id, full, dates, want);
    AppendField(info.id, Project(full, ColumnsOf(info.id)), dates, got);
    EXPECT_EQ(got, want) << info.name;
    std::string from_nothing;
    AppendField(info.id, UsageRecord(), dates, from_nothing);
    EXPECT_NE(from_nothing, want) << info.name << ": Full() does not exercise it";
  }
}

TEST(FieldsTest, TheWriterAsksForItsFieldsAndTheJobOnlyUnlessItNeedsEverything) {
  AcctRequest r;
  r.fields = ParseFormat("state,elapsed").value();
  UsageColumns want{UsageColumn::kJobId, UsageColumn::kArrayIndex, UsageColumn::kState,
                    UsageColumn::kStartTime, UsageColumn::kEndTime};
  EXPECT_EQ(AcctWriter::Columns(r), want);
  // The whole table line of the default format prints the same from its columns.
  r.fields = ParseFormat(kDefaultFormat).value();
  std::string want_line, got_line;
  {
    AcctWriter w(r);
    w.Add(Full(), want_line);
  }
  {
    AcctWriter w(r);
    w.Add(Project(Full(), AcctWriter::Columns(r)), got_line);
  }
  EXPECT_EQ(got_line, want_line);
  r.allocations = true;
  EXPECT_EQ(AcctWriter::Columns(r), UsageColumns::All());
  r.allocations = false;
  r.mode = OutputMode::kJson;
  EXPECT_EQ(AcctWriter::Columns(r), UsageColumns::All());
}

}  // namespace
}  // namespace gantry::acct
