// sacct's --format fields: names, default widths (a negative width left-justifies, as in
// SLURM), parsing "jobid,jobname%30,state%-12", and appending one field of a record. Pure,
// thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "acct/text_format.h"
#include "base/error.h"
#include "model/usage_record.h"

namespace gantry::acct {

enum class FieldId {
  kAccount,
  kAllocCPUS,
  kAllocGPUS,
  kAllocTRES,
  kAttempt,
  kCPUTime,
  kCPUTimeRAW,
  kElapsed,
  kElapsedRaw,
  kEnd,
  kExitCode,
  kGPUTime,
  kGPUTimeRAW,
  kGroup,
  kJobID,
  kJobIDRaw,
  kJobName,
  kMaxRSS,
  kNCPUS,
  kNodeList,
  kPartition,
  kStart,
  kState,
  kSubmit,
  kSystemCPU,
  kTotalCPU,
  kUID,
  kUser,
  kUserCPU,
  kVO,
};

struct FieldInfo {
  FieldId id;
  std::string_view name;  // as sacct spells it (matched case-insensitively)
  int width;              // default; negative: left-justified
  std::string_view help;
};

// Every field, sorted by name.
std::span<const FieldInfo> AllFields();

struct Field {
  FieldId id;
  std::string_view name;
  int width;
};

// sacct's default: JobID,JobName,Partition,Account,AllocCPUS,State,ExitCode.
constexpr std::string_view kDefaultFormat =
    "jobid,jobname,partition,account,alloccpus,state,exitcode";

// "name[%[-]N],...": errors name the bad item and list the fields.
Result<std::vector<Field>> ParseFormat(std::string_view text);

// The record members AppendField reads for the field.
model::UsageColumns ColumnsOf(FieldId id);

// Appends the field's value for r, unpadded.
void AppendField(FieldId id, const model::UsageRecord& r, DateWriter& dates, std::string& out);

}  // namespace gantry::acct
