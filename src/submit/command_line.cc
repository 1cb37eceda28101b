#include "submit/command_line.h"

#include "submit/internal/option_words.h"
#include "submit/options.h"

namespace gantry::submit {
namespace {

Error CommandLineError(std::string_view what) {
  return InvalidArgument("command line: " + std::string(what));
}

// Appends "  -t, --time=TIME   help" lines for every option with `effect`, help wrapped to
// 100 columns.
void AppendSection(std::string& out, std::string_view title, Effect effect) {
  constexpr size_t kHelpColumn = 32;
  constexpr size_t kWidth = 100;
  out += "\n" + std::string(title) + ":\n";
  for (const OptionDef& def : SubmitOptions()) {
    if (def.effect != effect) continue;
    std::string line = "  " + OptionSynopsis(def);
    if (def.scope == Scope::kGantryOnly) line += "  (Gantry only; #GANTRY lines)";
    if (!def.help.empty()) {
      line += line.size() + 2 <= kHelpColumn ? std::string(kHelpColumn - line.size(), ' ')
                                             : "\n" + std::string(kHelpColumn, ' ');
      size_t column = kHelpColumn;
      std::string_view help = def.help;
      while (!help.empty()) {
        size_t space = help.find(' ');
        std::string_view word = help.substr(0, space);
        if (column > kHelpColumn && column + 1 + word.size() > kWidth) {
          line += "\n" + std::string(kHelpColumn, ' ');
          column = kHelpColumn;
        } else if (column > kHelpColumn) {
          line += ' ';
          ++column;
        }
        line += word;
        column += word.size();
        help = space == std::string_view::npos ? "" : help.substr(space + 1);
      }
    }
    out += line + "\n";
  }
}

}  // namespace

Result<SubmitCommandLine> ParseSubmitArgv(std::span<const std::string> args) {
  SubmitCommandLine out;
  Result<internal::ParsedWords> parsed =
      internal::ParseOptionWords(args, OptionSource::kCommandLine, internal::Operands::kStop);
  if (!parsed) return Fail(CommandLineError(parsed.error().message()));
  for (const internal::OptionUse& use : parsed->uses) {
    std::string_view name = use.def->long_name;
    if (name == "help") {
      out.flags.help = true;
    } else if (name == "json") {
      out.flags.json = true;
    } else if (name == "parsable") {
      out.flags.parsable = true;
    } else if (name == "wait") {
      out.flags.wait = true;
    } else if (name == "quiet") {
      out.flags.quiet = true;
    } else if (name == "verbose") {
      ++out.flags.verbose;
    } else if (name == "wrap") {
      out.wrap = use.value;
    }
  }
  size_t end = parsed->operands_start;
  // A "--" before the script is not an option word for ParseSubmission.
  size_t options_end = end > 0 && args[end - 1] == "--" ? end - 1 : end;
  out.options.assign(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(options_end));
  if (out.flags.help) return out;
  if (out.flags.json && out.flags.parsable) {
    return Fail(CommandLineError("choose one of --json and --parsable"));
  }
  if (end < args.size()) {
    if (out.wrap) {
      return Fail(CommandLineError("--wrap cannot be combined with a script (" + args[end] +
                                   ") or script arguments"));
    }
    out.script_path = args[end];
    out.script_args.assign(args.begin() + static_cast<std::ptrdiff_t>(end) + 1, args.end());
  }
  return out;
}

std::string SubmitHelpText() {
  std::string out =
      "Usage: gantry submit [OPTIONS] SCRIPT [ARGS...]\n"
      "       gantry submit [OPTIONS] --wrap=COMMAND\n"
      "       gantry submit [OPTIONS] < SCRIPT\n"
      "\n"
      "Submits a batch script. The script's #SBATCH lines (and #GANTRY lines, which win over\n"
      "them) before its first command take the same options; options given here win over "
      "both.\n";
  AppendSection(out, "Options", Effect::kActed);
  AppendSection(out, "Output and behaviour of gantry submit", Effect::kCommandLineFlag);
  AppendSection(out, "Refused (SLURM options Gantry cannot honour)", Effect::kRejected);
  // Dozens of rarely used names: flowed into lines rather than one per line.
  out += "\nAccepted for SLURM compatibility, ignored with a warning:\n";
  std::string line = " ";
  for (const OptionDef& def : SubmitOptions()) {
    if (def.effect != Effect::kWarnOnly) continue;
    std::string item = OptionSynopsis(def);
    if (def.short_name != 0) item.replace(2, 2, "/");  // "-M/--clusters=LIST"
    if (line.size() + 2 + item.size() > 100) {
      out += line + "\n";
      line = " ";
    }
    line += " " + item;
  }
  out += line + "\n";
  return out;
}

}  // namespace gantry::submit
