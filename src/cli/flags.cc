#include "cli/flags.h"

#include <cstdio>

#include "base/strings.h"

namespace gantry::cli {

void Flags::Bool(std::string names, bool* out, std::string help) {
  options_.push_back({Split(names, ','), Option::Kind::kBool, out, "", std::move(help)});
}
void Flags::String(std::string names, std::string* out, std::string metavar, std::string help) {
  options_.push_back({Split(names, ','), Option::Kind::kString, out, std::move(metavar),
                      std::move(help)});
}
void Flags::Int(std::string names, int64_t* out, std::string metavar, std::string help) {
  options_.push_back({Split(names, ','), Option::Kind::kInt, out, std::move(metavar),
                      std::move(help)});
}
void Flags::Strings(std::string names, std::vector<std::string>* out, std::string metavar,
                    std::string help) {
  options_.push_back({Split(names, ','), Option::Kind::kStrings, out, std::move(metavar),
                      std::move(help)});
}
void Flags::Positionals(std::vector<std::string>* out, std::string metavar, size_t min_count,
                        size_t max_count) {
  positionals_ = out;
  positional_metavar_ = std::move(metavar);
  min_positionals_ = min_count;
  max_positionals_ = max_count;
}

const Flags::Option* Flags::Find(const std::string& name) const {
  for (const Option& o : options_) {
    for (const std::string& n : o.names) {
      if (n == name) return &o;
    }
  }
  return nullptr;
}

Result<bool> Flags::Parse(int argc, char** argv) {
  bool only_positionals = false;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (!only_positionals && word == "--") {
      only_positionals = true;
      continue;
    }
    if (!only_positionals && word.size() > 1 && word[0] == '-') {
      if (word == "--help" || word == "-h") return false;
      std::string name = word, value;
      bool has_value = false;
      if (word.rfind("--", 0) == 0 && word.find('=') != std::string::npos) {
        name = word.substr(0, word.find('='));
        value = word.substr(word.find('=') + 1);
        has_value = true;
      }
      const Option* o = Find(name);
      // "-j151": a short option with its value attached, as squeue's -j and -t are written.
      if (!o && word[1] != '-' && word.size() > 2) {
        const Option* short_option = Find(word.substr(0, 2));
        if (short_option && short_option->kind != Option::Kind::kBool) {
          o = short_option;
          name = word.substr(0, 2);
          value = word.substr(2);
          has_value = true;
        }
      }
      if (!o) return Fail(InvalidArgument("unknown option '" + name + "'"));
      if (o->kind == Option::Kind::kBool) {
        if (has_value) return Fail(InvalidArgument("option " + name + " takes no value"));
        *static_cast<bool*>(o->out) = true;
        continue;
      }
      if (!has_value) {
        if (i + 1 >= argc) return Fail(InvalidArgument("option " + name + " needs a value"));
        value = argv[++i];
      }
      if (o->kind == Option::Kind::kString) {
        *static_cast<std::string*>(o->out) = value;
      } else if (o->kind == Option::Kind::kStrings) {
        static_cast<std::vector<std::string>*>(o->out)->push_back(value);
      } else {
        auto v = ParseInt(value);
        if (!v) {
          return Fail(InvalidArgument("option " + name + " needs an integer, got '" + value + "'"));
        }
        *static_cast<int64_t*>(o->out) = *v;
      }
      continue;
    }
    if (!positionals_) return Fail(InvalidArgument("unexpected argument '" + word + "'"));
    positionals_->push_back(word);
  }
  size_t n = positionals_ ? positionals_->size() : 0;
  if (n < min_positionals_) {
    return Fail(InvalidArgument("missing " + positional_metavar_));
  }
  if (positionals_ && n > max_positionals_) {
    return Fail(InvalidArgument("too many arguments (at most " + std::to_string(max_positionals_) +
                                " " + positional_metavar_ + ")"));
  }
  return true;
}

std::string Flags::Help() const {
  std::string out = "Usage: " + usage_ + "\n\n" + description_ + "\n\nOptions:\n";
  for (const Option& o : options_) {
    std::string left = "  " + Join(o.names, ", ");
    if (!o.metavar.empty()) left += " " + o.metavar;
    if (left.size() < 28) left.resize(28, ' ');
    else left += "\n" + std::string(28, ' ');
    out += left + o.help + "\n";
  }
  out += "  -h, --help                Show this help\n";
  return out;
}

int ParseOrExit(Flags& flags, int argc, char** argv) {
  auto parsed = flags.Parse(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "gantry %s: %s\nRun 'gantry %s --help' for usage.\n", argv[0],
                 parsed.error().message().c_str(), argv[0]);
    return 2;
  }
  if (!*parsed) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  return -1;
}

}  // namespace gantry::cli
