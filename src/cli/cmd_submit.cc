// gantry submit: sbatch's front end.
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <iterator>
#include <map>

#include "base/file.h"
#include "base/passwd.h"
#include "base/strings.h"
#include "cli/client.h"
#include "cli/input_sandbox.h"
#include "cli/jobs.h"
#include "model/job_spec_json.h"
#include "submit/command_line.h"
#include "submit/filename_pattern.h"
#include "submit/jdl_to_spec.h"
#include "submit/submission.h"

extern char** environ;

namespace gantry::cli {
namespace {

int LocalOffsetSeconds(time_t now) {
  struct tm local;
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff);
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Problems sbatch would only show when the job runs, caught while the user is still here.
Status CheckPaths(const model::JobSpec& spec, const std::string& user) {
  if (access(spec.working_dir.c_str(), X_OK) != 0) {
    return Fail(ErrnoError("working directory " + spec.working_dir + " is not usable", errno));
  }
  submit::JobIds ids{1, spec.array ? 1 : 0,
                     spec.array ? std::optional<int64_t>(spec.array->task_ids[0]) : std::nullopt};
  for (const std::string& path : {submit::StdoutPath(spec, ids, user),
                                  submit::StderrPath(spec, ids, user)}) {
    if (path.empty()) continue;
    // An existing file (/dev/null too) must be writable itself; a new one needs its directory.
    if (access(path.c_str(), F_OK) == 0) {
      if (access(path.c_str(), W_OK) != 0) {
        return Fail(ErrnoError("output file " + path + " cannot be written", errno));
      }
      continue;
    }
    std::string dir = Dirname(path);
    if (access(dir.c_str(), W_OK) != 0) {
      return Fail(ErrnoError("output file " + path + " cannot be written: directory " + dir, errno));
    }
  }
  return {};
}

}  // namespace

int RunSubmit(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  auto cmd = submit::ParseSubmitArgv(words);
  if (!cmd) {
    std::fprintf(stderr, "gantry submit: %s\nRun 'gantry submit --help' for usage.\n",
                 cmd.error().message().c_str());
    return 2;
  }
  if (cmd->flags.help) {
    std::fputs(submit::SubmitHelpText().c_str(), stdout);
    return 0;
  }
  submit::SubmitInput input;
  if (cmd->script_path) {
    auto text = ReadFile(*cmd->script_path);
    if (!text) return Report("submit", text.error());
    input.script_text = std::move(*text);
    input.script_name = *cmd->script_path;
  } else if (!cmd->wrap) {
    if (isatty(STDIN_FILENO)) {
      std::fprintf(stderr, "gantry submit: no script given; reading it from standard input "
                           "(Ctrl-D to end)\n");
    }
    input.script_text.assign(std::istreambuf_iterator<char>(std::cin), {});
  }
  input.cli_args = cmd->options;
  input.wrap = cmd->wrap;
  input.script_args = cmd->script_args;
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) return Report("submit", ErrnoError("getcwd", errno));
  input.submit_dir = cwd;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) input.submit_env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  input.user = UserName(geteuid());
  time_t now = time(nullptr);
  input.now = SystemClock().Now();
  input.tz_offset_seconds = LocalOffsetSeconds(now);

  // A gLite JDL file (job.jdl) carries the whole job; sbatch options do not mix with it.
  bool jdl = cmd->script_path && submit::LooksLikeJdl(*cmd->script_path, input.script_text);
  if (jdl) {
    Status line = submit::CheckJdlCommandLine(*cmd->script_path, cmd->options, cmd->script_args);
    if (!line) {
      std::fprintf(stderr, "gantry submit: %s\n", line.error().message().c_str());
      return 2;
    }
  }
  auto spec = jdl ? submit::JdlToJobSpec(input.script_text, *cmd->script_path, input.submit_dir,
                                         input.submit_env)
                  : submit::ParseSubmission(input);
  if (!spec) {
    std::fprintf(stderr, "gantry submit: %s\n", spec.error().message().c_str());
    return 2;
  }
  if (auto paths = CheckPaths(*spec, input.user); !paths) return Report("submit", paths.error());
  if (auto inputs = LoadInputSandbox(*spec); !inputs) return Report("submit", inputs.error());
  if (!cmd->flags.quiet) {
    for (const std::string& w : spec->warnings) std::fprintf(stderr, "gantry submit: warning: %s\n", w.c_str());
  }
  auto client = Client::Connect();
  if (!client) return Report("submit", client.error());
  auto result = client->Call("POST", "/v1/jobs", model::JobSpecToJson(*spec).dump());
  if (!result) return Report("submit", result.error());
  int64_t id = (*result)["job_id"].get<int64_t>();
  if (cmd->flags.json) {
    std::printf("%s\n", result->dump(2).c_str());
  } else if (cmd->flags.parsable) {
    std::printf("%lld\n", static_cast<long long>(id));
  } else if (!cmd->flags.quiet) {
    std::printf("Submitted batch job %lld\n", static_cast<long long>(id));
  }
  std::fflush(stdout);
  if (cmd->flags.wait) {
    return WaitForJobs(*client, {std::to_string(id)}, {Output::kQuiet});
  }
  return 0;
}

}  // namespace gantry::cli
