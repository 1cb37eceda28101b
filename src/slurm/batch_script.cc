#include "slurm/batch_script.h"

#include <algorithm>

#include "base/strings.h"

namespace gantry::slurm {

std::string SlurmMinutes(int64_t seconds) {
  return std::to_string(std::max<int64_t>((seconds + 59) / 60, 1));
}

Result<std::vector<std::string>> SbatchOptions(const model::JobSpec& spec,
                                               const Placement& placement) {
  if (!spec.dependencies.empty()) {
    return Fail(InvalidArgument("a job with dependencies is released by Gantry, not SLURM: "
                                "the gateway takes it once they are met"));
  }
  if (spec.array) {
    return Fail(InvalidArgument("the gateway places array tasks one by one, not as a SLURM "
                                "array"));
  }
  std::vector<std::string> o;
  auto add = [&](std::string word) { o.push_back(std::move(word)); };
  // sbatch refuses newlines in a job name; Gantry allows anything printable.
  std::string name = spec.name.empty() ? "gantry" : spec.name;
  std::replace(name.begin(), name.end(), '\n', ' ');
  add("--job-name=" + name);
  add("--nodes=1");
  add("--ntasks=" + std::to_string(std::max<int64_t>(spec.ntasks, 1)));
  add("--cpus-per-task=" + std::to_string(std::max<int64_t>(spec.cpus_per_task, 1)));
  if (spec.memory_mb > 0) add("--mem=" + std::to_string(spec.memory_mb) + "M");
  if (spec.time_limit_seconds > 0) add("--time=" + SlurmMinutes(spec.time_limit_seconds));
  std::string partition = placement.partition.empty() ? spec.partition : placement.partition;
  if (!partition.empty()) add("--partition=" + partition);
  if (!spec.account.empty()) add("--account=" + spec.account);
  if (spec.gpus > 0) add("--gpus=" + std::to_string(spec.gpus));
  if (spec.exclusive) add("--exclusive");
  if (spec.nice != 0) add("--nice=" + std::to_string(spec.nice));
  if (!spec.working_dir.empty()) add("--chdir=" + spec.working_dir);
  if (!placement.stdout_path.empty()) add("--output=" + placement.stdout_path);
  if (!placement.stderr_path.empty()) add("--error=" + placement.stderr_path);
  if (spec.open_mode == model::JobSpec::OpenMode::kAppend) add("--open-mode=append");
  // The job's environment is sbatch's own (the gateway runs sbatch with it): all of it.
  add("--export=ALL");
  add("--requeue");  // a node failure requeues it in SLURM, not as a Gantry retry
  for (const std::string& word : o) {
    if (word.find('\n') != std::string::npos) {
      return Fail(InvalidArgument("a #SBATCH value cannot hold a newline: " + word));
    }
  }
  return o;
}

Result<std::string> SbatchScript(const model::JobSpec& spec, const Placement& placement) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<std::string> options, SbatchOptions(spec, placement));
  std::string body = spec.script;
  std::string shebang = "#!/bin/sh";
  if (body.rfind("#!", 0) == 0) {
    size_t end = body.find('\n');
    shebang = body.substr(0, end);
    body = end == std::string::npos ? "" : body.substr(end + 1);
  }
  std::string out = shebang + "\n";
  for (const std::string& word : options) out += "#SBATCH " + word + "\n";
  out += "# Submitted by the Gantry SLURM gateway; the job's own #SBATCH lines follow as\n"
         "# #GANTRY-WAS-SBATCH (the lines above say what Gantry made of them).\n";
  // sbatch reads #SBATCH lines until the first command; later ones would override ours.
  std::vector<std::string> lines = Split(body, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view trimmed = Trim(line);
    if (trimmed.rfind("#SBATCH", 0) == 0) {
      out += "#GANTRY-WAS-SBATCH" + std::string(trimmed.substr(7));
    } else {
      out += lines[i];
    }
    if (i + 1 < lines.size()) out += "\n";
  }
  return out;
}

}  // namespace gantry::slurm
