// The option handlers the table in options.cc points at. Not for use outside src/submit/.
// Each applies one option occurrence to a SubmitState; pure, thread-compatible.
#pragma once

#include <optional>
#include <string_view>

#include "base/error.h"
#include "submit/internal/submit_state.h"
#include "submit/options.h"

namespace gantry::submit::internal {

using Value = std::optional<std::string_view>;

Status SetAccount(const OptionDef& def, Value value, SubmitState& state);
Status SetArray(const OptionDef& def, Value value, SubmitState& state);
Status SetBegin(const OptionDef& def, Value value, SubmitState& state);
Status SetChdir(const OptionDef& def, Value value, SubmitState& state);
Status SetCpusPerTask(const OptionDef& def, Value value, SubmitState& state);
Status SetConstraint(const OptionDef& def, Value value, SubmitState& state);
Status SetExclusive(const OptionDef& def, Value value, SubmitState& state);
Status SetDependency(const OptionDef& def, Value value, SubmitState& state);
Status SetError(const OptionDef& def, Value value, SubmitState& state);
Status SetExport(const OptionDef& def, Value value, SubmitState& state);
Status SetGpus(const OptionDef& def, Value value, SubmitState& state);
Status SetGres(const OptionDef& def, Value value, SubmitState& state);
Status SetHold(const OptionDef& def, Value value, SubmitState& state);
Status SetJobName(const OptionDef& def, Value value, SubmitState& state);
Status SetMaxRetries(const OptionDef& def, Value value, SubmitState& state);
Status SetRequirements(const OptionDef& def, Value value, SubmitState& state);
Status SetModules(const OptionDef& def, Value value, SubmitState& state);
// sandbox_handlers.cc
Status AddInputFiles(const OptionDef& def, Value value, SubmitState& state);
Status AddOutputFiles(const OptionDef& def, Value value, SubmitState& state);
Status SetRank(const OptionDef& def, Value value, SubmitState& state);
Status SetMem(const OptionDef& def, Value value, SubmitState& state);
Status SetMemPerCpu(const OptionDef& def, Value value, SubmitState& state);
Status SetNice(const OptionDef& def, Value value, SubmitState& state);
Status SetNodes(const OptionDef& def, Value value, SubmitState& state);
Status SetNtasks(const OptionDef& def, Value value, SubmitState& state);
Status SetNtasksPerNode(const OptionDef& def, Value value, SubmitState& state);
Status SetOutput(const OptionDef& def, Value value, SubmitState& state);
Status SetOpenMode(const OptionDef& def, Value value, SubmitState& state);
Status SetPartition(const OptionDef& def, Value value, SubmitState& state);
Status SetTime(const OptionDef& def, Value value, SubmitState& state);
Status SetWrap(const OptionDef& def, Value value, SubmitState& state);

// Command-line flags (--json, --parsable, ...): nothing on the command line (ParseSubmitArgv
// reads them), a warning in a script.
Status CommandLineFlag(const OptionDef& def, Value value, SubmitState& state);
// Accepted and ignored: records a warning naming the option and where it was.
Status WarnOnly(const OptionDef& def, Value value, SubmitState& state);
// Known but impossible to honour: an error.
Status Reject(const OptionDef& def, Value value, SubmitState& state);

}  // namespace gantry::submit::internal
