#include "cli/input_sandbox.h"

#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "model/limits.h"
#include "model/sandbox.h"

namespace gantry::cli {

Status LoadInputSandbox(model::JobSpec& spec) {
  int64_t total = 0;
  // Sizes first: a too-big sandbox is refused before any of it is read.
  std::vector<std::string> paths;
  for (const model::JobSpec::SandboxFile& f : spec.input_files) {
    std::string path = f.source.starts_with("/") ? f.source : spec.submit_dir + "/" + f.source;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return Fail(ErrnoError("input file " + path + " (--input-files " + f.source + ")", errno));
    }
    if (!S_ISREG(st.st_mode)) {
      return Fail(InvalidArgument("input file " + path + " is not a regular file: the input "
                                  "sandbox carries files, not directories or devices"));
    }
    total += st.st_size;
    if (total > model::kMaxInputSandboxBytes) {
      return Fail(InvalidArgument(
          "the input sandbox is too big: with " + path + " (" + model::ByteSize(st.st_size) +
          ") it holds " + model::ByteSize(total) + ", more than the " +
          model::ByteSize(model::kMaxInputSandboxBytes) +
          " a job may carry; put large inputs in shared storage or the data catalog"));
    }
    paths.push_back(std::move(path));
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    GANTRY_ASSIGN_OR_RETURN(spec.input_files[i].content, ReadFile(paths[i]));
    spec.input_files[i].executable = access(paths[i].c_str(), X_OK) == 0;
  }
  return model::ValidateSandbox(spec);  // it may have grown since stat
}

}  // namespace gantry::cli
