#include "launch/run_options.h"

#include <optional>
#include <utility>
#include <string_view>

#include "base/strings.h"

namespace gantry::launch {
namespace {

enum class Takes { kNothing, kNumber, kWord, kNameValue, kAssignment };
enum class Id { kSize, kPpn, kKillGrace, kMpi, kLabel, kNoTopology, kNoShm, kPmiPort, kGenv,
                kExport, kHelp };

struct Option {
  Id id;
  std::vector<std::string_view> names;
  Takes takes;
  // The number's lower bound (kNumber).
  int64_t min = 0;
};

// Single-dash long names are hydra's and mpirun's spellings.
const Option* FindOption(std::string_view name) {
  static const Option kOptions[] = {
      {Id::kSize, {"-n", "--ntasks", "-np", "--np"}, Takes::kNumber, 1},
      {Id::kPpn, {"--ppn", "-ppn"}, Takes::kNumber, 1},
      {Id::kKillGrace, {"--kill-grace"}, Takes::kNumber, 0},
      {Id::kMpi, {"--mpi"}, Takes::kWord},
      {Id::kLabel, {"-l", "--label"}, Takes::kNothing},
      {Id::kNoTopology, {"--no-topology"}, Takes::kNothing},
      {Id::kNoShm, {"--no-shm"}, Takes::kNothing},
      {Id::kPmiPort, {"--pmi-port"}, Takes::kNothing},
      {Id::kGenv, {"-genv", "--genv"}, Takes::kNameValue},
      {Id::kExport, {"-x"}, Takes::kAssignment},
      {Id::kHelp, {"-h", "--help"}, Takes::kNothing},
  };
  for (const Option& option : kOptions) {
    for (std::string_view n : option.names) {
      if (n == name) return &option;
    }
  }
  return nullptr;
}

Result<int> ParseCount(std::string_view flag, const std::string& text, int64_t min) {
  // Digits only: ParseInt would take "-5" and say nothing useful about "99999999999999".
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  std::optional<int64_t> number;
  if (digits) number = ParseInt(text);
  const int64_t max = flag == "--kill-grace" ? 24 * 3600 * 1000 : kMaxRanks;
  if (digits && (!number || *number > max)) {
    return Fail(InvalidArgument(std::string(flag) + " " + text + " is too large (at most " +
                                std::to_string(max) + ")"));
  }
  if (!number) {
    return Fail(InvalidArgument(std::string(flag) + " needs a whole number, got '" + text + "'"));
  }
  if (*number < min) {
    return Fail(InvalidArgument(std::string(flag) + " must be at least " + std::to_string(min) +
                                " (got " + text + ")"));
  }
  return static_cast<int>(*number);
}

Status CheckName(std::string_view flag, std::string_view name) {
  bool ok = !name.empty() && name.find('=') == std::string_view::npos;
  if (!ok) {
    return Fail(InvalidArgument(std::string(flag) + " needs a variable name, got '" +
                                std::string(name) + "'"));
  }
  return {};
}

}  // namespace

Result<RunArguments> ParseRunArguments(const std::vector<std::string>& args,
                                       const std::function<const char*(const char*)>& getenv) {
  RunArguments out;
  LaunchOptions& o = out.options;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") {
      ++i;
      break;
    }
    if (word.size() < 2 || word[0] != '-') break;  // PROGRAM
    std::string name = word;
    std::optional<std::string> attached;  // --opt=value
    if (word.starts_with("--") && word.find('=') != std::string::npos) {
      name = word.substr(0, word.find('='));
      attached = word.substr(word.find('=') + 1);
    }
    const Option* found = FindOption(name);
    if (found == nullptr) return Fail(InvalidArgument("unknown option '" + name + "'"));
    const Option& option = *found;
    // The words this option takes: attached, or the following ones.
    auto next = [&](std::string_view what) -> Result<std::string> {
      if (attached) return *std::exchange(attached, std::nullopt);
      if (i + 1 >= args.size()) return Fail(InvalidArgument(name + " needs " + std::string(what)));
      return args[++i];
    };
    switch (option.takes) {
      case Takes::kNothing:
        if (attached) return Fail(InvalidArgument("option " + name + " takes no value"));
        break;
      case Takes::kNumber: {
        GANTRY_ASSIGN_OR_RETURN(std::string text, next("a number"));
        GANTRY_ASSIGN_OR_RETURN(int number, ParseCount(name, text, option.min));
        if (option.id == Id::kSize) {
          o.size = number;
          out.have_size = true;
        } else if (option.id == Id::kPpn) {
          o.ppn = number;
        } else {
          o.kill_grace_ms = number;
        }
        continue;
      }
      case Takes::kWord: {
        GANTRY_ASSIGN_OR_RETURN(std::string text, next("a mode"));
        GANTRY_ASSIGN_OR_RETURN(o.mpi, ParseMpiMode(text));
        continue;
      }
      case Takes::kNameValue: {
        GANTRY_ASSIGN_OR_RETURN(std::string var, next("NAME VALUE"));
        GANTRY_RETURN_IF_ERROR(CheckName(name, var));
        if (i + 1 >= args.size()) return Fail(InvalidArgument(name + " " + var + " needs a VALUE"));
        o.env.push_back(var + "=" + args[++i]);
        continue;
      }
      case Takes::kAssignment: {
        GANTRY_ASSIGN_OR_RETURN(std::string var, next("NAME[=VALUE]"));
        size_t eq = var.find('=');
        GANTRY_RETURN_IF_ERROR(CheckName(name, var.substr(0, eq)));
        if (eq == std::string::npos) {
          const char* value = getenv(var.c_str());
          if (value == nullptr) {
            return Fail(InvalidArgument(name + " " + var + ": " + var + " is not set"));
          }
          var += std::string("=") + value;
        }
        o.env.push_back(var);
        continue;
      }
    }
    if (option.id == Id::kHelp) {
      out.help = true;
      return out;
    }
    o.label = o.label || option.id == Id::kLabel;
    o.topology = o.topology && option.id != Id::kNoTopology;
    o.shared_memory_kvs = o.shared_memory_kvs && option.id != Id::kNoShm;
    o.pmi_over_tcp = o.pmi_over_tcp || option.id == Id::kPmiPort;
  }
  o.argv.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return out;
}

}  // namespace gantry::launch
