#include "acct/fields.h"

#include <algorithm>
#include <charconv>

#include "base/strings.h"

namespace gantry::acct {
namespace {

constexpr FieldInfo kFields[] = {
    {FieldId::kAccount, "Account", 10, "the account charged (-A, else the group, VO or user)"},
    {FieldId::kAllocCPUS, "AllocCPUS", 10, "cores held"},
    {FieldId::kAllocGPUS, "AllocGPUS", 10, "GPUs held (Gantry)"},
    {FieldId::kAllocTRES, "AllocTRES", 20, "what was held: cpu=N,gres/gpu=N,node=1"},
    {FieldId::kAttempt, "Attempt", 7, "the attempt's number within its job (Gantry)"},
    {FieldId::kCPUTime, "CPUTime", 10, "cores x elapsed, [DD-]HH:MM:SS"},
    {FieldId::kCPUTimeRAW, "CPUTimeRAW", 10, "cores x elapsed, in seconds"},
    {FieldId::kElapsed, "Elapsed", 10, "wall time, [DD-]HH:MM:SS"},
    {FieldId::kElapsedRaw, "ElapsedRaw", 10, "wall time in seconds"},
    {FieldId::kEnd, "End", 19, "when it ended"},
    {FieldId::kExitCode, "ExitCode", 8, "exit status:signal"},
    {FieldId::kGPUTime, "GPUTime", 10, "GPUs x elapsed, [DD-]HH:MM:SS (Gantry)"},
    {FieldId::kGPUTimeRAW, "GPUTimeRAW", 10, "GPUs x elapsed, in seconds (Gantry)"},
    {FieldId::kGroup, "Group", 9, "the job's primary group"},
    {FieldId::kJobID, "JobID", -12, "job id, or ARRAY_INDEX for an array task"},
    {FieldId::kJobIDRaw, "JobIDRaw", -12, "the task's own id"},
    {FieldId::kJobName, "JobName", 10, "the job's name"},
    {FieldId::kMaxRSS, "MaxRSS", 10, "largest resident set"},
    {FieldId::kNCPUS, "NCPUS", 10, "cores held"},
    {FieldId::kNodeList, "NodeList", 15, "the agent it ran on"},
    {FieldId::kPartition, "Partition", 10, "the partition asked for"},
    {FieldId::kStart, "Start", 19, "when it started"},
    {FieldId::kState, "State", 10, "how it ended"},
    {FieldId::kSubmit, "Submit", 19, "when the job was submitted"},
    {FieldId::kSystemCPU, "SystemCPU", 10, "system CPU time"},
    {FieldId::kTotalCPU, "TotalCPU", 10, "user + system CPU time"},
    {FieldId::kUID, "UID", 6, "the owner's uid"},
    {FieldId::kUser, "User", 9, "the owner"},
    {FieldId::kUserCPU, "UserCPU", 10, "user CPU time"},
    {FieldId::kVO, "VO", 10, "the job's virtual organisation (Gantry)"},
};

std::string FieldNames() {
  std::string out;
  for (const FieldInfo& f : kFields) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

}  // namespace

std::span<const FieldInfo> AllFields() { return kFields; }

Result<std::vector<Field>> ParseFormat(std::string_view text) {
  std::vector<Field> out;
  for (const std::string& raw : Split(text, ',')) {
    std::string_view item = Trim(raw);
    if (item.empty()) {
      return Fail(InvalidArgument("--format '" + std::string(text) +
                                  "' has an empty field (fields are separated by commas)"));
    }
    std::string_view name = item;
    int width = 0;
    bool has_width = false;
    if (size_t pct = item.find('%'); pct != std::string_view::npos) {
      name = item.substr(0, pct);
      std::string_view digits = item.substr(pct + 1);
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), width);
      if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size() ||
          width == 0 || width > 1000 || width < -1000) {
        return Fail(InvalidArgument("--format field '" + std::string(item) +
                                    "': the width after '%' must be a whole number from 1 to "
                                    "1000 (negative: left-justified)"));
      }
      has_width = true;
    }
    const FieldInfo* found = nullptr;
    for (const FieldInfo& f : kFields) {
      if (EqualsIgnoreCase(f.name, name)) found = &f;
    }
    if (!found) {
      return Fail(InvalidArgument("--format: unknown field '" + std::string(name) +
                                  "'; the fields are " + FieldNames() +
                                  " (gantry acct --helpformat)"));
    }
    out.push_back({found->id, found->name, has_width ? width : found->width});
  }
  if (out.empty()) return Fail(InvalidArgument("--format names no field"));
  return out;
}

model::UsageColumns ColumnsOf(FieldId id) {
  using C = model::UsageColumn;
  switch (id) {
    case FieldId::kAccount:
      return {C::kAccount};
    case FieldId::kAllocCPUS:
    case FieldId::kNCPUS:
      return {C::kCores};
    case FieldId::kAllocGPUS:
      return {C::kGpus};
    case FieldId::kAllocTRES:
      return {C::kCores, C::kGpus};
    case FieldId::kAttempt:
      return {C::kAttempt};
    case FieldId::kCPUTime:
    case FieldId::kCPUTimeRAW:
      return {C::kStartTime, C::kEndTime, C::kCores};
    case FieldId::kElapsed:
    case FieldId::kElapsedRaw:
      return {C::kStartTime, C::kEndTime};
    case FieldId::kEnd:
      return {C::kEndTime};
    case FieldId::kExitCode:
      return {C::kExitCode, C::kSignal};
    case FieldId::kGPUTime:
    case FieldId::kGPUTimeRAW:
      return {C::kStartTime, C::kEndTime, C::kGpus};
    case FieldId::kGroup:
      return {C::kGroup};
    case FieldId::kJobID:
      return {C::kJobId, C::kArrayIndex};
    case FieldId::kJobIDRaw:
      return {C::kTaskId};
    case FieldId::kJobName:
      return {C::kJobName};
    case FieldId::kMaxRSS:
      return {C::kMaxRss};
    case FieldId::kNodeList:
      return {C::kAgent};
    case FieldId::kPartition:
      return {C::kPartition};
    case FieldId::kStart:
      return {C::kStartTime};
    case FieldId::kState:
      return {C::kState};
    case FieldId::kSubmit:
      return {C::kSubmitTime};
    case FieldId::kSystemCPU:
      return {C::kSystemCpu};
    case FieldId::kTotalCPU:
      return {C::kUserCpu, C::kSystemCpu};
    case FieldId::kUID:
      return {C::kUid};
    case FieldId::kUser:
      return {C::kUser};
    case FieldId::kUserCPU:
      return {C::kUserCpu};
    case FieldId::kVO:
      return {C::kVo};
  }
  return model::UsageColumns::All();
}

void AppendField(FieldId id, const model::UsageRecord& r, DateWriter& dates, std::string& out) {
  // As sacct: whole seconds of elapsed time, and CPUTime exactly that times the cores.
  int64_t elapsed = static_cast<int64_t>(r.elapsed_seconds);
  switch (id) {
    case FieldId::kAccount:
      out += r.account;
      break;
    case FieldId::kAllocCPUS:
    case FieldId::kNCPUS:
      AppendInt(r.cores, out);
      break;
    case FieldId::kAllocGPUS:
      AppendInt(r.gpus, out);
      break;
    case FieldId::kAllocTRES:
      out += "cpu=";
      AppendInt(r.cores, out);
      if (r.gpus) {
        out += ",gres/gpu=";
        AppendInt(r.gpus, out);
      }
      out += ",node=1";
      break;
    case FieldId::kAttempt:
      AppendInt(r.attempt, out);
      break;
    case FieldId::kCPUTime:
      AppendDuration(elapsed * r.cores, out);
      break;
    case FieldId::kCPUTimeRAW:
      AppendInt(elapsed * r.cores, out);
      break;
    case FieldId::kElapsed:
      AppendDuration(elapsed, out);
      break;
    case FieldId::kElapsedRaw:
      AppendInt(elapsed, out);
      break;
    case FieldId::kEnd:
      dates.Append(r.end_time, out);
      break;
    case FieldId::kExitCode:
      AppendInt(r.exit_code < 0 ? 0 : r.exit_code, out);
      out.push_back(':');
      AppendInt(r.signal, out);
      break;
    case FieldId::kGPUTime:
      AppendDuration(elapsed * r.gpus, out);
      break;
    case FieldId::kGPUTimeRAW:
      AppendInt(elapsed * r.gpus, out);
      break;
    case FieldId::kGroup:
      out += r.group;
      break;
    case FieldId::kJobID:
      AppendInt(r.job_id, out);
      if (r.array_index >= 0) {
        out.push_back('_');
        AppendInt(r.array_index, out);
      }
      break;
    case FieldId::kJobIDRaw:
      AppendInt(r.task_id, out);
      break;
    case FieldId::kJobName:
      out += r.job_name;
      break;
    case FieldId::kMaxRSS:
      AppendKibibytes(r.max_rss_kb, out);
      break;
    case FieldId::kNodeList:
      out += r.agent;
      break;
    case FieldId::kPartition:
      out += r.partition;
      break;
    case FieldId::kStart:
      dates.Append(r.start_time, out);
      break;
    case FieldId::kState:
      out += r.state;
      break;
    case FieldId::kSubmit:
      dates.Append(r.submit_time, out);
      break;
    case FieldId::kSystemCPU:
      AppendCpuTime(r.system_cpu_seconds, out);
      break;
    case FieldId::kTotalCPU:
      AppendCpuTime(r.user_cpu_seconds + r.system_cpu_seconds, out);
      break;
    case FieldId::kUID:
      AppendInt(r.uid, out);
      break;
    case FieldId::kUser:
      out += r.user;
      break;
    case FieldId::kUserCPU:
      AppendCpuTime(r.user_cpu_seconds, out);
      break;
    case FieldId::kVO:
      out += r.vo;
      break;
  }
}

}  // namespace gantry::acct
