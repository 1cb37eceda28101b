// The SlurmClient that runs SLURM's command-line clients (docs/pilots.md, "SLURM").
#include <algorithm>

#include "base/strings.h"
#include "pilots/command.h"
#include "pilots/slurm_client.h"

namespace gantry::pilots {

std::vector<std::string> SbatchArgv(const BatchRequest& r) {
  std::vector<std::string> argv = {"sbatch", "--parsable", "--job-name=" + r.job_name,
                                   "--cpus-per-task=" + std::to_string(std::max<int64_t>(r.cpus, 1)),
                                   "--nodes=1", "--ntasks=1"};
  if (r.time_limit_seconds > 0) {
    // --time=MINUTES: SLURM keeps whole minutes; the pilot itself leaves in time.
    argv.push_back("--time=" + std::to_string((r.time_limit_seconds + 59) / 60));
  }
  if (!r.partition.empty()) argv.push_back("--partition=" + r.partition);
  argv.push_back("--output=" + (r.output_path.empty() ? std::string("/dev/null") : r.output_path));
  if (!r.work_dir.empty()) argv.push_back("--chdir=" + r.work_dir);
  argv.push_back(r.script_path);
  return argv;
}

namespace {

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

class SlurmCommands final : public SlurmClient {
 public:
  explicit SlurmCommands(SlurmCommandsOptions options) : options_(options) {}

  Result<std::string> Submit(const BatchRequest& request) override {
    GANTRY_ASSIGN_OR_RETURN(CommandResult r, RunCommand(SbatchArgv(request), options_.timeout_ms));
    if (r.exit_code != 0) {
      return Fail(Unavailable("sbatch failed (exit " + std::to_string(r.exit_code) +
                              "): " + CommandOutputLine(r)));
    }
    return ParseSbatchParsable(r.out);
  }

  Result<std::map<std::string, SlurmJobInfo>> Query(const std::vector<std::string>& ids) override {
    std::map<std::string, SlurmJobInfo> known;
    if (ids.empty()) return known;
    // --states=all: finished jobs too, while slurmctld remembers them (MinJobAge).
    GANTRY_ASSIGN_OR_RETURN(
        CommandResult q,
        RunCommand({"squeue", "--noheader", "--states=all", "--jobs=" + Joined(ids),
                    "--format=%i|%T|%r"},
                   options_.timeout_ms));
    if (q.exit_code == 0) {
      GANTRY_ASSIGN_OR_RETURN(known, ParseSqueue(q.out));
    } else if (q.err.find("Invalid job id") == std::string::npos) {
      // "Invalid job id specified" (exit 1) comes only when squeue knows none of the ids;
      // anything else is the controller not answering.
      return Fail(Unavailable("squeue failed (exit " + std::to_string(q.exit_code) +
                              "): " + CommandOutputLine(q)));
    }
    std::vector<std::string> missing;
    for (const std::string& id : ids) {
      if (!known.count(id)) missing.push_back(id);
    }
    if (missing.empty()) return known;
    // Accounting may be off (AccountingStorageType=none): then sacct fails and the jobs are
    // simply unknown.
    auto a = RunCommand({"sacct", "--noheader", "--parsable2", "--allocations",
                         "--jobs=" + Joined(missing), "--format=JobID,State,ExitCode"},
                        options_.timeout_ms);
    if (a && a->exit_code == 0) {
      if (auto parsed = ParseSacct(a->out)) known.insert(parsed->begin(), parsed->end());
    }
    return known;
  }

  Status Cancel(const std::string& id) override {
    GANTRY_ASSIGN_OR_RETURN(CommandResult r, RunCommand({"scancel", id}, options_.timeout_ms));
    if (r.exit_code != 0) {
      return Fail(Unavailable("scancel " + id + " failed: " + CommandOutputLine(r)));
    }
    return {};
  }

 private:
  const SlurmCommandsOptions options_;
};

}  // namespace

std::unique_ptr<SlurmClient> NewSlurmCommands(SlurmCommandsOptions options) {
  return std::make_unique<SlurmCommands>(options);
}

}  // namespace gantry::pilots
