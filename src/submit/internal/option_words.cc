#include "submit/internal/option_words.h"

namespace gantry::submit::internal {
namespace {

std::string_view SourceName(OptionSource source) {
  switch (source) {
    case OptionSource::kSbatchLine:
      return "#SBATCH";
    case OptionSource::kGantryLine:
      return "#GANTRY";
    case OptionSource::kCommandLine:
      return "command line";
  }
  return "";
}

std::string Unknown(OptionSource source, std::string_view spelled) {
  if (source == OptionSource::kCommandLine) {
    return "unknown option " + std::string(spelled) + " (see gantry submit --help)";
  }
  return "unknown " + std::string(SourceName(source)) + " option " + std::string(spelled);
}

Status CheckScope(const OptionDef& def, OptionSource source) {
  std::string name = "--" + std::string(def.long_name);
  if (def.scope == Scope::kCommandLineOnly && source != OptionSource::kCommandLine) {
    return Fail(InvalidArgument(name + " is only valid on the gantry submit command line"));
  }
  if (def.scope == Scope::kGantryOnly && source == OptionSource::kSbatchLine) {
    return Fail(InvalidArgument(Unknown(source, name) + " (" + name +
                                " is a Gantry option: put it on a #GANTRY line)"));
  }
  return {};
}

class WordParser {
 public:
  WordParser(std::span<const std::string> words, OptionSource source)
      : words_(words), source_(source) {}

  Result<ParsedWords> Parse(Operands operands) {
    ParsedWords out;
    size_t i = 0;
    while (i < words_.size()) {
      const std::string& word = words_[i];
      bool is_option = word.size() > 1 && word[0] == '-';
      if (word == "--" && operands == Operands::kStop) {
        out.operands_start = i + 1;
        out.uses = std::move(uses_);
        return out;
      }
      if (!is_option || word == "--") {
        if (operands == Operands::kStop) break;
        std::string hint;
        if (!uses_.empty() && uses_.back().def->arg == ArgKind::kOptional && !uses_.back().value) {
          hint = " (write --" + std::string(uses_.back().def->long_name) + "=" + word +
                 ": its value is optional, so it must be joined with '=')";
        }
        std::string where = source_ == OptionSource::kCommandLine
                                ? "among the options"
                                : "in " + std::string(SourceName(source_)) + " line";
        return Fail(InvalidArgument("unexpected word '" + word + "' " + where + hint));
      }
      GANTRY_ASSIGN_OR_RETURN(i, word[1] == '-' ? Long(i) : Short(i));
    }
    out.operands_start = i;
    out.uses = std::move(uses_);
    return out;
  }

 private:
  // Returns the index of the next word.
  Result<size_t> Long(size_t i) {
    std::string_view body = std::string_view(words_[i]).substr(2);
    size_t eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    Result<const OptionDef*> found = FindLongOption(name);
    if (!found) {
      if (found.error().code() == ErrorCode::kNotFound) {
        return Fail(InvalidArgument(Unknown(source_, "--" + std::string(name))));
      }
      return Fail(found.error());
    }
    const OptionDef& def = **found;
    GANTRY_RETURN_IF_ERROR(CheckScope(def, source_));
    OptionUse use{&def, std::nullopt};
    if (eq != std::string_view::npos) {
      if (def.arg == ArgKind::kNone) {
        return Fail(InvalidArgument("--" + std::string(def.long_name) + " takes no value"));
      }
      use.value = std::string(body.substr(eq + 1));
    } else if (def.arg == ArgKind::kRequired) {
      if (i + 1 >= words_.size()) {
        return Fail(InvalidArgument("--" + std::string(def.long_name) + " needs a value (--" +
                                    std::string(def.long_name) + "=" + std::string(def.value_name) +
                                    ")"));
      }
      use.value = words_[++i];
    }
    uses_.push_back(std::move(use));
    return i + 1;
  }

  // "-H", "-Hv" (bundled flags), "-t5", "-t 5".
  Result<size_t> Short(size_t i) {
    const std::string& word = words_[i];
    for (size_t k = 1; k < word.size(); ++k) {
      const OptionDef* def = FindShortOption(word[k]);
      if (def == nullptr) {
        return Fail(InvalidArgument(Unknown(source_, std::string("-") + word[k])));
      }
      GANTRY_RETURN_IF_ERROR(CheckScope(*def, source_));
      OptionUse use{def, std::nullopt};
      if (def->arg == ArgKind::kNone) {
        uses_.push_back(std::move(use));
        continue;
      }
      std::string rest = word.substr(k + 1);
      if (!rest.empty()) {
        use.value = rest;
      } else if (def->arg == ArgKind::kRequired) {
        if (i + 1 >= words_.size()) {
          return Fail(InvalidArgument(std::string("-") + word[k] + " needs a value (-" + word[k] +
                                      " " + std::string(def->value_name) + ")"));
        }
        use.value = words_[++i];
      }
      uses_.push_back(std::move(use));
      break;
    }
    return i + 1;
  }

  std::span<const std::string> words_;
  OptionSource source_;
  std::vector<OptionUse> uses_;
};

}  // namespace

Result<ParsedWords> ParseOptionWords(std::span<const std::string> words, OptionSource source,
                                     Operands operands) {
  return WordParser(words, source).Parse(operands);
}

}  // namespace gantry::submit::internal
