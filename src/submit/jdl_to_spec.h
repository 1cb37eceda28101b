// gLite JDL job descriptions as Gantry jobs (`gantry submit job.jdl`). JdlToJobSpec maps a
// JDL file onto a JobSpec: a generated /bin/sh script that execs Executable with Arguments,
// output patterns, environment, retries, and the ClassAd Requirements/Rank/attributes; a
// Parametric job becomes one job array. Pure (the caller reads the file and the environment),
// thread-safe. The mapping is written down in docs/submit.md ("JDL job descriptions").
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::submit {

// The environment variable the generated script of a Parametric job keeps _PARAM_ in.
inline constexpr std::string_view kJdlParamVariable = "GANTRY_JDL_PARAM";

// True when `gantry submit FILE` should read FILE as JDL: its name ends in ".jdl", or it has
// no "#!" line and its first character after blank, "#" and "//" comment lines is '['.
bool LooksLikeJdl(std::string_view file_name, std::string_view text);

// JDL text -> JobSpec. `file_name` is used for messages and the job name, `submit_dir`
// (absolute) is the working directory and the base of relative paths, `submit_env` gives
// PATH, HOME and USER (the only variables taken from the submitter). Errors are
// kInvalidArgument: "job.jdl:3:7: ..." for syntax errors, "job.jdl: ..." otherwise.
Result<model::JobSpec> JdlToJobSpec(std::string_view jdl_text, std::string_view file_name,
                                    const std::string& submit_dir,
                                    const std::map<std::string, std::string>& submit_env);

// A JDL file carries the whole job: sbatch options and script arguments on the command line
// are refused (kInvalidArgument naming the first one). Allowed: the output flags --json,
// --parsable, -W/--wait, -Q/--quiet, -v/--verbose.
Status CheckJdlCommandLine(std::string_view file_name, std::span<const std::string> options,
                           std::span<const std::string> script_args);

}  // namespace gantry::submit
