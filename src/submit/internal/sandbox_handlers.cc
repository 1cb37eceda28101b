// --input-files and --output-files (docs/sandbox.md). sbatch's -i/--input and -o/--output
// name the job's stdin and stdout, so the sandbox options have names of their own.
#include <string>

#include "base/strings.h"
#include "model/sandbox.h"
#include "submit/internal/handlers.h"

namespace gantry::submit::internal {
namespace {

// Comma- or space-separated words of one occurrence; an empty list is an error.
Result<std::vector<std::string>> Words(const OptionDef& def, Value value) {
  std::vector<std::string> out;
  std::string v(value.value_or(""));
  for (char& c : v) {
    if (c == ' ' || c == '\t') c = ',';
  }
  for (const std::string& word : Split(v, ',')) {
    if (!Trim(word).empty()) out.emplace_back(Trim(word));
  }
  if (out.empty()) {
    return Fail(InvalidArgument("invalid --" + std::string(def.long_name) +
                                " value '': expected FILE[,FILE...]"));
  }
  return out;
}

}  // namespace

// Each file lands under its base name in the attempt's working directory; its bytes are read
// by the client (cli/cmd_submit), relative to the submit directory.
Status AddInputFiles(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(auto words, Words(def, value));
  for (std::string& source : words) {
    std::string name = source.substr(source.find_last_of('/') + 1);
    if (name.empty() || name == "." || name == "..") {
      return Fail(InvalidArgument("invalid --" + std::string(def.long_name) + " value '" + source +
                                  "': name a file, not a directory"));
    }
    state.spec.input_files.push_back({std::move(name), std::move(source), ""});
  }
  return {};
}

Status AddOutputFiles(const OptionDef& def, Value value, SubmitState& state) {
  GANTRY_ASSIGN_OR_RETURN(auto words, Words(def, value));
  for (std::string& name : words) {
    if (auto ok = model::CheckSandboxName("--" + std::string(def.long_name) + " file", name); !ok) {
      return Fail(ok.error());
    }
    state.spec.output_files.push_back(std::move(name));
  }
  return {};
}

}  // namespace gantry::submit::internal
