#include "pilots/slurm_output.h"

#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace gantry::pilots {
namespace {

// SLURM 22.05's job states (src/common/slurm_protocol_defs.c, job_state_string) with their
// phase. Flags such as COMPLETING print as their own word in squeue's %T.
constexpr std::array<std::pair<std::string_view, SlurmPhase>, 24> kStates{{
    {"PENDING", SlurmPhase::kQueued},        {"REQUEUED", SlurmPhase::kQueued},
    {"REQUEUE_HOLD", SlurmPhase::kQueued},   {"REQUEUE_FED", SlurmPhase::kQueued},
    {"RESV_DEL_HOLD", SlurmPhase::kQueued},  {"RUNNING", SlurmPhase::kRunning},
    {"CONFIGURING", SlurmPhase::kRunning},   {"COMPLETING", SlurmPhase::kRunning},
    {"SUSPENDED", SlurmPhase::kRunning},     {"STOPPED", SlurmPhase::kRunning},
    {"SIGNALING", SlurmPhase::kRunning},     {"STAGE_OUT", SlurmPhase::kRunning},
    {"RESIZING", SlurmPhase::kRunning},      {"COMPLETED", SlurmPhase::kEnded},
    {"CANCELLED", SlurmPhase::kEnded},       {"FAILED", SlurmPhase::kEnded},
    {"TIMEOUT", SlurmPhase::kEnded},         {"NODE_FAIL", SlurmPhase::kEnded},
    {"PREEMPTED", SlurmPhase::kEnded},       {"BOOT_FAIL", SlurmPhase::kEnded},
    {"DEADLINE", SlurmPhase::kEnded},        {"OUT_OF_MEMORY", SlurmPhase::kEnded},
    {"SPECIAL_EXIT", SlurmPhase::kEnded},    {"REVOKED", SlurmPhase::kEnded},
}};

bool IsJobId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '_' && c != '[' && c != ']' &&
        c != '-') {
      return false;
    }
  }
  return std::isdigit(static_cast<unsigned char>(id[0]));
}

// Lines of `|`-separated fields, each line with exactly `fields` of them.
Result<std::map<std::string, SlurmJobInfo>> ParseTable(std::string_view output,
                                                       std::string_view what, size_t fields,
                                                       bool skip_steps) {
  std::map<std::string, SlurmJobInfo> jobs;
  int line_number = 0;
  for (const std::string& raw : Split(output, '\n')) {
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty()) continue;
    auto where = [&] { return std::string(what) + " line " + std::to_string(line_number); };
    std::vector<std::string> parts = Split(line, '|');
    if (parts.size() != fields) {
      return Fail(InvalidArgument(where() + ": expected " + std::to_string(fields) +
                                  " fields separated by '|', got '" + std::string(line) + "'"));
    }
    std::string_view id = Trim(parts[0]);
    if (skip_steps && id.find('.') != std::string_view::npos) continue;
    if (!IsJobId(id)) {
      return Fail(InvalidArgument(where() + ": '" + std::string(id) + "' is not a job id"));
    }
    std::string_view state = Trim(parts[1]);
    auto phase = ParseSlurmState(state);
    if (!phase) return Fail(phase.error().Wrap(where()));
    SlurmJobInfo info;
    info.id = std::string(id);
    info.phase = *phase;
    size_t space = state.find(' ');
    info.state = std::string(state.substr(0, space));
    info.reason = std::string(Trim(parts[2]));
    jobs[info.id] = std::move(info);
  }
  return jobs;
}

}  // namespace

std::string_view SlurmPhaseName(SlurmPhase phase) {
  switch (phase) {
    case SlurmPhase::kQueued: return "queued";
    case SlurmPhase::kRunning: return "running";
    case SlurmPhase::kEnded: return "ended";
  }
  return "unknown";
}

Result<SlurmPhase> ParseSlurmState(std::string_view word) {
  std::string_view head = Trim(word);
  head = head.substr(0, head.find(' '));  // "CANCELLED by 0"
  for (const auto& [name, phase] : kStates) {
    if (head == name) return phase;
  }
  return Fail(InvalidArgument("unknown SLURM job state '" + std::string(word) + "'"));
}

Result<std::string> ParseSbatchParsable(std::string_view output) {
  std::string_view text = Trim(output);
  // sbatch may print warnings on stderr, never on stdout; the id is the last line.
  size_t newline = text.rfind('\n');
  if (newline != std::string_view::npos) text = Trim(text.substr(newline + 1));
  std::string_view id = text.substr(0, text.find(';'));
  if (!IsJobId(id) || id.find_first_not_of("0123456789") != std::string_view::npos) {
    return Fail(InvalidArgument("sbatch --parsable printed '" + std::string(Trim(output)) +
                                "', not a job id"));
  }
  return std::string(id);
}

Result<std::map<std::string, SlurmJobInfo>> ParseSqueue(std::string_view output) {
  return ParseTable(output, "squeue output", 3, /*skip_steps=*/false);
}

Result<std::map<std::string, SlurmJobInfo>> ParseSacct(std::string_view output) {
  return ParseTable(output, "sacct output", 3, /*skip_steps=*/true);
}

}  // namespace gantry::pilots
