#include "submit/submission.h"

#include <span>

#include "base/strings.h"
#include "model/limits.h"
#include "submit/export_env.h"
#include "submit/internal/directives.h"
#include "submit/internal/numbers.h"
#include "submit/internal/option_words.h"
#include "submit/internal/submit_state.h"

namespace gantry::submit {
namespace {

using internal::DirectiveLine;
using internal::OptionUse;
using internal::SubmitState;

constexpr std::string_view kCommandLine = "command line";

struct Batch {
  OptionSource source;
  std::string location;
  std::vector<OptionUse> uses;
};

Status Apply(const Batch& batch, SubmitState& state) {
  state.source = batch.source;
  state.location = batch.location;
  for (const OptionUse& use : batch.uses) {
    Status s = use.def->handler(*use.def, use.value, state);
    if (!s) return Fail(InvalidArgument(batch.location + ": " + s.error().message()));
  }
  return {};
}

// "/a/b/../c/./d" -> "/a/c/d". Lexical only: the submit side cannot look at the node's disk.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string> parts;
  for (const std::string& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  return "/" + Join(parts, "/");
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Settles what depends on several options at once.
Status Finish(const SubmitInput& input, bool wrapped, SubmitState& state) {
  model::JobSpec& spec = state.spec;
  if (state.name) {
    spec.name = *state.name;
  } else if (wrapped) {
    spec.name = "wrap";
  } else if (!input.script_name.empty()) {
    spec.name = BaseName(input.script_name);
  } else {
    spec.name = "stdin";
  }
  spec.working_dir = input.submit_dir;
  if (state.chdir) {
    spec.working_dir = NormalizePath(
        state.chdir->starts_with("/") ? *state.chdir : input.submit_dir + "/" + *state.chdir);
  }
  if (state.ntasks) spec.ntasks = state.ntasks->value;
  if (state.ntasks_per_node) {
    int64_t per_node = state.ntasks_per_node->value;
    if (!state.ntasks) {
      spec.ntasks = per_node;
    } else if (spec.ntasks > per_node) {
      return Fail(InvalidArgument(
          state.ntasks->location + ": --ntasks=" + std::to_string(spec.ntasks) +
          " needs more than one node with --ntasks-per-node=" + std::to_string(per_node) + " (" +
          state.ntasks_per_node->location + "); Gantry jobs run on one node"));
    }
  }
  if (state.mem_mb) spec.memory_mb = state.mem_mb->value;
  if (state.mem_per_cpu_mb) {
    std::optional<int64_t> total =
        internal::CheckedMultiply(state.mem_per_cpu_mb->value, spec.cpus_per_task);
    if (total) total = internal::CheckedMultiply(*total, spec.ntasks);
    if (!total || *total > model::kMaxMemoryMb) {
      return Fail(InvalidArgument(state.mem_per_cpu_mb->location +
                                  ": --mem-per-cpu times CPUs per task times tasks is too "
                                  "much memory"));
    }
    spec.memory_mb = *total;
  }
  if (state.constraint_requirements) {
    spec.requirements = spec.requirements.empty()
                            ? *state.constraint_requirements
                            : "(" + spec.requirements + ") && " + *state.constraint_requirements;
  }
  if (state.modules) {
    spec.requirements = spec.requirements.empty()
                            ? state.modules->requirements
                            : "(" + spec.requirements + ") && " + state.modules->requirements;
    spec.attributes[std::string(kRequestModulesAttribute)] = state.modules->attribute;
  }
  GANTRY_ASSIGN_OR_RETURN(spec.environment, ResolveExport(state.export_spec, input.submit_env));
  return {};
}

}  // namespace

Result<model::JobSpec> ParseSubmission(const SubmitInput& input) {
  if (!input.submit_dir.starts_with("/")) {
    return Fail(
        InvalidArgument("the submit directory must be absolute, not '" + input.submit_dir + "'"));
  }
  Result<internal::ParsedWords> parsed_cli = internal::ParseOptionWords(
      input.cli_args, OptionSource::kCommandLine, internal::Operands::kReject);
  if (!parsed_cli) {
    return Fail(InvalidArgument(std::string(kCommandLine) + ": " + parsed_cli.error().message()));
  }
  internal::ParsedWords cli = std::move(*parsed_cli);

  // --wrap may come in `wrap` or among the options; the options win, as they come later.
  std::optional<std::string> wrap = input.wrap;
  for (const OptionUse& use : cli.uses) {
    if (use.def->long_name == "wrap") wrap = use.value;
  }
  std::string file = input.script_name.empty() ? "stdin" : input.script_name;
  std::string script = input.script_text;
  if (wrap) {
    if (!input.script_text.empty() || !input.script_name.empty() || !input.script_args.empty()) {
      std::string what = input.script_name.empty() ? "a script" : "a script (" + file + ")";
      return Fail(InvalidArgument("command line: --wrap cannot be combined with " + what +
                                  " or script arguments"));
    }
    file = "--wrap";
    script = "#!/bin/sh\n" + *wrap + "\n";
  }
  GANTRY_RETURN_IF_ERROR(internal::CheckScript(script, file));
  GANTRY_ASSIGN_OR_RETURN(std::vector<DirectiveLine> lines, internal::ScanDirectives(script, file));

  // Words become options first, for every line in file order, so the first syntax error in
  // the file is the one reported; then sources apply lowest-precedence first.
  std::vector<Batch> sbatch, gantry;
  for (const DirectiveLine& line : lines) {
    std::string location = file + ":" + std::to_string(line.line);
    Result<internal::ParsedWords> words =
        internal::ParseOptionWords(line.words, line.source, internal::Operands::kReject);
    if (!words) return Fail(InvalidArgument(location + ": " + words.error().message()));
    auto& list = line.source == OptionSource::kSbatchLine ? sbatch : gantry;
    list.push_back({line.source, location, std::move(words->uses)});
  }

  SubmitState state;
  state.now = input.now;
  state.tz_offset_seconds = input.tz_offset_seconds;
  state.spec.script = std::move(script);
  state.spec.script_name = wrap ? "" : input.script_name;
  state.spec.script_args = input.script_args;
  state.spec.submit_dir = input.submit_dir;
  for (const Batch& batch : sbatch) GANTRY_RETURN_IF_ERROR(Apply(batch, state));
  for (const Batch& batch : gantry) GANTRY_RETURN_IF_ERROR(Apply(batch, state));
  GANTRY_RETURN_IF_ERROR(
      Apply({OptionSource::kCommandLine, std::string(kCommandLine), std::move(cli.uses)}, state));
  GANTRY_RETURN_IF_ERROR(Finish(input, wrap.has_value(), state));
  return std::move(state.spec);
}

}  // namespace gantry::submit
