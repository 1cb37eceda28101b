// Finding a program as execvp(3) does: a name with a '/' is taken as it is, any other is
// looked for in each entry of the search path in turn (an empty entry is the current
// directory). One search for the agent's spawner (which execs each candidate in the child)
// and for `gantry run` (which resolves the program once, in the launcher). Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::exec {

// Where a job whose environment sets no PATH looks for programs.
inline constexpr std::string_view kDefaultSearchPath = "/usr/local/bin:/usr/bin:/bin";

// PATH's value in `env` ("NAME=VALUE" entries), else kDefaultSearchPath.
std::string SearchPathOf(const std::vector<std::string>& env);
// PATH's value in this process's environment, else kDefaultSearchPath.
std::string ProcessSearchPath();

// The paths execvp would try for `name`, in order: just `name` when it has a '/'.
std::vector<std::string> ProgramCandidates(const std::string& name, std::string_view search_path);

// The first candidate that is an executable regular file. Failures are in the shell's
// words: "x: command not found in PATH" (kNotFound), for a name with a '/' "x: no such file"
// (kNotFound), "x: is a directory", "x: not executable (permission denied)"
// (kPermissionDenied).
Result<std::string> ResolveProgram(const std::string& name, std::string_view search_path);

}  // namespace gantry::exec
