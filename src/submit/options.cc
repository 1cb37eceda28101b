#include "submit/options.h"

#include <array>
#include <string>
#include <vector>

#include "submit/internal/handlers.h"

namespace gantry::submit {
namespace {

using namespace internal;  // the handlers
constexpr ArgKind kNo = ArgKind::kNone;
constexpr ArgKind kReq = ArgKind::kRequired;
constexpr ArgKind kOpt = ArgKind::kOptional;
constexpr Scope kAll = Scope::kEverywhere;
constexpr Effect kAct = Effect::kActed;
constexpr Effect kWarn = Effect::kWarnOnly;

// Every option `gantry submit` knows. The warn-only rows are the sbatch options real scripts
// carry (sbatch(1), Slurm 24/25) that do not change how Gantry runs a job; each is accepted
// with a warning so scripts move over unchanged. Argument kinds follow sbatch's getopt table:
// they decide whether the next word is a value.
constexpr OptionDef kOptions[] = {
    // Acted on.
    {"job-name", 'J', kReq, "NAME", kAll, kAct, "job name (default: the script's file name)",
     SetJobName},
    {"ntasks", 'n', kReq, "N", kAll, kAct, "number of tasks (default 1)", SetNtasks},
    {"cpus-per-task", 'c', kReq, "N", kAll, kAct, "CPUs per task (default 1)", SetCpusPerTask},
    {"mem", 0, kReq, "SIZE", kAll, kAct, "memory for the job, units K/M/G/T (default M)", SetMem},
    {"mem-per-cpu", 0, kReq, "SIZE", kAll, kAct,
     "memory per CPU; the job gets SIZE * cpus-per-task * ntasks", SetMemPerCpu},
    {"time", 't', kReq, "TIME", kAll, kAct,
     "wall-time limit: MIN, MIN:SEC, H:MIN:SEC, D-H, D-H:MIN, D-H:MIN:SEC, UNLIMITED", SetTime},
    {"output", 'o', kReq, "PATTERN", kAll, kAct,
     "stdout file (%j job id, %A array id, %a task, %x name, %u user, %% %)", SetOutput},
    {"error", 'e', kReq, "PATTERN", kAll, kAct, "stderr file (default: the stdout file)", SetError},
    {"open-mode", 0, kReq, "append|truncate", kAll, kAct,
     "existing output files: truncate (default, as SLURM's JobFileAppend=0) or append to them",
     SetOpenMode},
    {"chdir", 'D', kReq, "DIR", kAll, kAct,
     "working directory, relative to where you submit (default: there)", SetChdir},
    {"export", 0, kReq, "VARS", kAll, kAct,
     "environment to pass: ALL (default), NONE, VAR[=value],..., ALL,VAR=value,...", SetExport},
    {"array", 'a', kReq, "INDEXES", kAll, kAct, "job array: 0-15, 1,3,5-7, 0-15:4, 1-5%2",
     SetArray},
    {"dependency", 'd', kReq, "LIST", kAll, kAct,
     "afterok|afterany|afternotok|after:ID[:ID...] joined by , (all) or ? (any); singleton",
     SetDependency},
    {"begin", 'b', kReq, "TIME", kAll, kAct,
     "start no earlier than: 16:00, now+1hour, 2030-01-20T12:34, tomorrow, teatime...", SetBegin},
    {"nice", 0, kOpt, "N", kAll, kAct,
     "lower the priority by N (default 100); a negative N only for root or the server's user",
     SetNice},
    {"hold", 'H', kNo, "", kAll, kAct, "submit the job held", SetHold},
    {"partition", 'p', kReq, "NAME", kAll, kAct,
     "partition (queue) to use; the server refuses one it does not have", SetPartition},
    {"constraint", 'C', kReq, "LIST", kAll, kAct,
     "node features the agent must advertise: a&b, a|b, [a|b], (a|b)&c", SetConstraint},
    {"exclusive", 0, kOpt, "MODE", kAll, kAct,
     "hold the whole node: every core, all memory, every GPU (modes user/mcs/topo: warned)",
     SetExclusive},
    {"account", 'A', kReq, "NAME", kAll, kAct, "account to charge", SetAccount},
    {"nodes", 'N', kReq, "N", kAll, kAct, "node count: only 1 (Gantry jobs use one node)",
     SetNodes},
    {"ntasks-per-node", 0, kReq, "N", kAll, kAct, "tasks on the node; sets --ntasks if absent",
     SetNtasksPerNode},
    {"tasks-per-node", 0, kReq, "N", kAll, kAct, "same as --ntasks-per-node", SetNtasksPerNode},
    {"gpus", 'G', kReq, "[TYPE:]N", kAll, kAct, "GPUs for the job", SetGpus},
    {"gres", 0, kReq, "LIST", kAll, kAct,
     "generic resources; gpu[:TYPE][:N] is recorded as GPUs, others are ignored", SetGres},
    // Gantry's own.
    {"max-retries", 0, kReq, "N", Scope::kGantryOnly, kAct,
     "run a failed job again up to N times (default 0, at most 100)", SetMaxRetries},
    {"requirements", 0, kReq, "EXPR", Scope::kGantryOnly, kAct,
     "ClassAd expression an agent must satisfy (the agent is TARGET), e.g. TARGET.Site == \"desy\"",
     SetRequirements},
    {"input-files", 0, kReq, "FILE[,FILE]", Scope::kGantryOnly, kAct,
     "input sandbox: files (relative to the submit dir) sent with the job to agents without "
     "a shared filesystem; each lands under its name in the working dir",
     AddInputFiles},
    {"output-files", 0, kReq, "FILE[,FILE]", Scope::kGantryOnly, kAct,
     "output sandbox: files (relative to the working dir) returned with stdout and stderr "
     "from agents without a shared filesystem",
     AddOutputFiles},
    {"rank", 0, kReq, "EXPR", Scope::kGantryOnly, kAct,
     "ClassAd expression: among agents that match, prefer the one where it is highest", SetRank},
    {"modules", 0, kReq, "LIST", Scope::kGantryOnly, kAct,
     "Lmod modules the job needs, loaded before the script: gcc/12,python (a bare name: any "
     "version)",
     SetModules},
    // The command line only.
    {"wrap", 0, kReq, "COMMAND", Scope::kCommandLineOnly, kAct,
     "run COMMAND with /bin/sh instead of a script file", SetWrap},
    {"json", 0, kNo, "", Scope::kCommandLineOnly, Effect::kCommandLineFlag,
     "print the result as JSON", CommandLineFlag},
    {"help", 'h', kNo, "", Scope::kCommandLineOnly, Effect::kCommandLineFlag, "print this help",
     CommandLineFlag},
    {"parsable", 0, kNo, "", kAll, Effect::kCommandLineFlag, "print only the job id",
     CommandLineFlag},
    {"wait", 'W', kNo, "", kAll, Effect::kCommandLineFlag,
     "wait for the job to end; exit with its exit code", CommandLineFlag},
    {"verbose", 'v', kNo, "", kAll, Effect::kCommandLineFlag, "say more", CommandLineFlag},
    {"quiet", 'Q', kNo, "", kAll, Effect::kCommandLineFlag, "say less", CommandLineFlag},
    // Known but impossible to honour.
    {"export-file", 0, kReq, "FILE", kAll, Effect::kRejected,
     "list the variables with --export instead", Reject},
    {"test-only", 0, kNo, "", kAll, Effect::kRejected, "there is no test-only mode", Reject},
    {"uid", 0, kReq, "USER", kAll, Effect::kRejected, "jobs always run as the submitter", Reject},
    {"gid", 0, kReq, "GROUP", kAll, Effect::kRejected, "jobs always run as the submitter", Reject},
    // Accepted for SLURM compatibility, ignored with a warning.
    {"acctg-freq", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"batch", 0, kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"bb", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"bbf", 0, kReq, "FILE", kAll, kWarn, "", WarnOnly},
    {"cluster", 0, kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"cluster-constraint", 0, kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"clusters", 'M', kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"comment", 0, kReq, "TEXT", kAll, kWarn, "", WarnOnly},
    {"consolidate-segments", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"container", 0, kReq, "PATH", kAll, kWarn, "", WarnOnly},
    {"container-id", 0, kReq, "ID", kAll, kWarn, "", WarnOnly},
    {"contiguous", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"core-spec", 'S', kReq, "N", kAll, kWarn, "", WarnOnly},
    {"cores-per-socket", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"cpu-freq", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"cpus-per-gpu", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"deadline", 0, kReq, "TIME", kAll, kWarn, "", WarnOnly},
    {"delay-boot", 0, kReq, "MIN", kAll, kWarn, "", WarnOnly},
    {"distribution", 'm', kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"exclude", 'x', kReq, "NODES", kAll, kWarn, "", WarnOnly},
    {"extra", 0, kReq, "TEXT", kAll, kWarn, "", WarnOnly},
    {"extra-node-info", 'B', kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"get-user-env", 0, kOpt, "SPEC", kAll, kWarn, "", WarnOnly},
    {"gpu-bind", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"gpu-freq", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"gpus-per-node", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"gpus-per-socket", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"gpus-per-task", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"gres-flags", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"hint", 0, kReq, "TYPE", kAll, kWarn, "", WarnOnly},
    {"ignore-pbs", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"input", 'i', kReq, "PATTERN", kAll, kWarn, "", WarnOnly},
    {"kill-on-invalid-dep", 0, kReq, "yes|no", kAll, kWarn, "", WarnOnly},
    {"licenses", 'L', kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"mail-type", 0, kReq, "TYPES", kAll, kWarn, "", WarnOnly},
    {"mail-user", 0, kReq, "ADDRESS", kAll, kWarn, "", WarnOnly},
    {"mcs-label", 0, kReq, "LABEL", kAll, kWarn, "", WarnOnly},
    {"mem-bind", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"mem-per-gpu", 0, kReq, "SIZE", kAll, kWarn, "", WarnOnly},
    {"mem-update", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"mincpus", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"network", 0, kReq, "TYPE", kAll, kWarn, "", WarnOnly},
    {"no-kill", 'k', kOpt, "off", kAll, kWarn, "", WarnOnly},
    {"no-requeue", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"nodefile", 'F', kReq, "FILE", kAll, kWarn, "", WarnOnly},
    {"nodelist", 'w', kReq, "NODES", kAll, kWarn, "", WarnOnly},
    {"ntasks-per-core", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"ntasks-per-gpu", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"ntasks-per-socket", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"oom-kill-step", 0, kOpt, "0|1", kAll, kWarn, "", WarnOnly},
    {"overcommit", 'O', kNo, "", kAll, kWarn, "", WarnOnly},
    {"oversubscribe", 's', kNo, "", kAll, kWarn, "", WarnOnly},
    {"prefer", 0, kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"priority", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"profile", 0, kReq, "TYPES", kAll, kWarn, "", WarnOnly},
    {"propagate", 0, kOpt, "LIMITS", kAll, kWarn, "", WarnOnly},
    {"qos", 'q', kReq, "QOS", kAll, kWarn, "", WarnOnly},
    {"reboot", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"requeue", 0, kOpt, "expedite", kAll, kWarn, "", WarnOnly},
    {"reservation", 0, kReq, "NAMES", kAll, kWarn, "", WarnOnly},
    {"resources", 0, kReq, "NAMES", kAll, kWarn, "", WarnOnly},
    {"resv-ports", 0, kOpt, "N", kAll, kWarn, "", WarnOnly},
    {"runtime", 0, kReq, "NAME", kAll, kWarn, "", WarnOnly},
    {"segment", 0, kReq, "SIZE", kAll, kWarn, "", WarnOnly},
    {"signal", 0, kReq, "[R|B:]SIG[@TIME]", kAll, kWarn, "", WarnOnly},
    {"sockets-per-node", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"spread-job", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"spread-segments", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"stepmgr", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"switches", 0, kReq, "N[@TIME]", kAll, kWarn, "", WarnOnly},
    {"thread-spec", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"threads-per-core", 0, kReq, "N", kAll, kWarn, "", WarnOnly},
    {"time-min", 0, kReq, "TIME", kAll, kWarn, "", WarnOnly},
    {"tmp", 0, kReq, "SIZE", kAll, kWarn, "", WarnOnly},
    {"tres-bind", 0, kReq, "SPEC", kAll, kWarn, "", WarnOnly},
    {"tres-per-task", 0, kReq, "LIST", kAll, kWarn, "", WarnOnly},
    {"use-min-nodes", 0, kNo, "", kAll, kWarn, "", WarnOnly},
    {"wait-all-nodes", 0, kReq, "0|1", kAll, kWarn, "", WarnOnly},
    {"wckey", 0, kReq, "KEY", kAll, kWarn, "", WarnOnly},
};

}  // namespace

std::span<const OptionDef> SubmitOptions() { return kOptions; }

Result<const OptionDef*> FindLongOption(std::string_view name) {
  std::vector<const OptionDef*> prefixed;
  for (const OptionDef& def : kOptions) {
    if (def.long_name == name) return &def;
    if (!name.empty() && def.long_name.starts_with(name)) prefixed.push_back(&def);
  }
  if (prefixed.size() == 1) return prefixed[0];
  if (prefixed.empty()) return Fail(NotFound("unknown option --" + std::string(name)));
  std::string candidates;
  for (const OptionDef* def : prefixed) {
    candidates += (candidates.empty() ? "--" : ", --") + std::string(def->long_name);
  }
  return Fail(InvalidArgument("ambiguous option --" + std::string(name) + " (could be " +
                              candidates + ")"));
}

const OptionDef* FindShortOption(char name) {
  if (name == 0) return nullptr;
  for (const OptionDef& def : kOptions) {
    if (def.short_name == name) return &def;
  }
  return nullptr;
}

std::string OptionSynopsis(const OptionDef& def) {
  std::string out;
  if (def.short_name != 0) out += std::string("-") + def.short_name + ", ";
  out += "--" + std::string(def.long_name);
  if (def.arg == ArgKind::kRequired) out += "=" + std::string(def.value_name);
  if (def.arg == ArgKind::kOptional) out += "[=" + std::string(def.value_name) + "]";
  return out;
}

}  // namespace gantry::submit
