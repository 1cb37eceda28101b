#include "agent/sandbox.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace gantry::agent {
namespace {

Status MakeOwnedDir(const std::string& path, std::optional<std::pair<uid_t, gid_t>> owner) {
  if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return Fail(ErrnoError("cannot make sandbox directory " + path, errno));
  }
  if (owner && chown(path.c_str(), owner->first, owner->second) != 0) {
    return Fail(ErrnoError("cannot give sandbox directory " + path + " to its job's owner", errno));
  }
  return {};
}

}  // namespace

SandboxPlan PlanSandbox(const model::JobSpec& spec, const std::string& attempt_dir,
                        const std::string& stdout_target, const std::string& stderr_target) {
  SandboxPlan plan;
  plan.dir = attempt_dir + "/sandbox";
  plan.stdout_local = attempt_dir + "/stdout";
  plan.stderr_local = stderr_target == stdout_target ? plan.stdout_local : attempt_dir + "/stderr";
  plan.stdout_target = stdout_target;
  plan.stderr_target = stderr_target;
  plan.output_files = spec.output_files;
  return plan;
}

Status WriteInputSandbox(const model::JobSpec& spec, const SandboxPlan& plan,
                         std::optional<std::pair<uid_t, gid_t>> owner) {
  GANTRY_RETURN_IF_ERROR(MakeOwnedDir(plan.dir, owner));
  // Directories the output files need exist, as they did in the submit directory.
  for (const std::string& name : spec.output_files) {
    for (size_t slash = name.find('/'); slash != std::string::npos;
         slash = name.find('/', slash + 1)) {
      GANTRY_RETURN_IF_ERROR(MakeOwnedDir(plan.dir + "/" + name.substr(0, slash), owner));
    }
  }
  for (const model::JobSpec::SandboxFile& f : spec.input_files) {
    for (size_t slash = f.name.find('/'); slash != std::string::npos;
         slash = f.name.find('/', slash + 1)) {
      GANTRY_RETURN_IF_ERROR(MakeOwnedDir(plan.dir + "/" + f.name.substr(0, slash), owner));
    }
    std::string path = plan.dir + "/" + f.name;
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                  f.executable ? 0755 : 0644);
    if (fd < 0) return Fail(ErrnoError("cannot write input file " + path, errno));
    std::string_view left = f.content;
    int err = 0;
    while (!left.empty()) {
      ssize_t n = write(fd, left.data(), left.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        err = errno;
        break;
      }
      left.remove_prefix(static_cast<size_t>(n));
    }
    if (!err && owner && fchown(fd, owner->first, owner->second) != 0) err = errno;
    close(fd);
    if (err) {
      Error e = ErrnoError("cannot write input file " + path, err);
      // A full disk is the agent's problem, not the job's (the attempt goes back).
      return Fail(err == ENOSPC || err == EDQUOT ? ResourceExhausted(e.message()) : e);
    }
  }
  return {};
}

}  // namespace gantry::agent
