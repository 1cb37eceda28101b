#include "exec/program_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/strings.h"

namespace gantry::exec {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// Why `path` (named with a '/') cannot be run, in the shell's words.
Status CheckExecutable(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Fail(NotFound(path + ": no such file"));
    return Fail(ErrnoError(path, errno));
  }
  if (S_ISDIR(st.st_mode)) return Fail(PermissionDenied(path + ": is a directory"));
  if (!S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) {
    return Fail(PermissionDenied(path + ": not executable (permission denied)"));
  }
  return {};
}

}  // namespace

std::string SearchPathOf(const std::vector<std::string>& env) {
  for (const std::string& kv : env) {
    if (kv.starts_with("PATH=")) return kv.substr(5);
  }
  return std::string(kDefaultSearchPath);
}

std::string ProcessSearchPath() {
  const char* path = std::getenv("PATH");
  return path != nullptr ? path : std::string(kDefaultSearchPath);
}

std::vector<std::string> ProgramCandidates(const std::string& name, std::string_view search_path) {
  if (name.find('/') != std::string::npos) return {name};
  std::vector<std::string> out;
  for (const std::string& dir : Split(search_path, ':')) {
    out.push_back((dir.empty() ? std::string(".") : dir) + "/" + name);
  }
  return out;
}

Result<std::string> ResolveProgram(const std::string& name, std::string_view search_path) {
  if (name.empty()) return Fail(InvalidArgument("no program to run"));
  if (name.find('/') != std::string::npos) {
    GANTRY_RETURN_IF_ERROR(CheckExecutable(name));
    return name;
  }
  for (const std::string& candidate : ProgramCandidates(name, search_path)) {
    if (IsExecutableFile(candidate)) return candidate;
  }
  return Fail(NotFound(name + ": command not found in PATH"));
}

}  // namespace gantry::exec
