#include "broker/partitions.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "classad/eval.h"

namespace gantry::broker {
namespace {

bool ValidName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

}  // namespace

Result<PartitionSet> PartitionSet::Create(std::vector<std::string> names) {
  if (names.empty()) names.emplace_back(kDefaultPartition);
  for (size_t i = 0; i < names.size(); ++i) {
    if (!ValidName(names[i])) {
      return Fail(InvalidArgument("bad partition name '" + names[i] +
                                  "' (letters, digits, _ - . and at most 64 of them)"));
    }
    if (std::find(names.begin(), names.begin() + i, names[i]) != names.begin() + i) {
      return Fail(InvalidArgument("partition '" + names[i] + "' is named twice"));
    }
  }
  return PartitionSet(std::move(names));
}

bool PartitionSet::Has(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::string PartitionSet::Listed() const { return Join(names_, ", "); }

Result<std::string> PartitionSet::Resolve(std::string_view requested) const {
  if (requested.empty()) return default_name();
  if (!Has(requested)) {
    return Fail(InvalidArgument("invalid partition specified: '" + std::string(requested) +
                                "' (this server's partitions: " + Listed() + ")"));
  }
  return std::string(requested);
}

Result<std::vector<std::string>> PartitionSet::OfAgent(const classad::ClassAd& ad) const {
  std::vector<std::string> names;
  classad::Value list = classad::EvaluateAttr(ad, "Partitions");
  if (list.IsList()) {
    for (const classad::Value& item : list.list()) {
      if (!item.IsString()) {
        return Fail(InvalidArgument("the agent's Partitions must be a list of strings"));
      }
      names.emplace_back(item.string());
    }
  } else if (classad::Value one = classad::EvaluateAttr(ad, "Partition"); one.IsString()) {
    names.emplace_back(one.string());
  } else if (!list.IsUndefined()) {
    return Fail(InvalidArgument("the agent's Partitions must be a list of strings"));
  }
  if (names.empty()) names.push_back(default_name());
  for (const std::string& name : names) {
    if (!Has(name)) {
      return Fail(InvalidArgument("the agent names partition '" + name +
                                  "', which this server does not have (its partitions: " +
                                  Listed() + "; see gantry server --partition)"));
    }
  }
  return names;
}

Result<std::vector<std::string>> ParsePartitionsFile(std::string_view text) {
  std::vector<std::string> names;
  int line_number = 0;
  for (const std::string& raw : Split(text, '\n')) {
    ++line_number;
    std::string_view line = raw;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<std::string> words;
    for (const std::string& w : Split(line, ' ')) {
      if (!Trim(w).empty()) words.emplace_back(Trim(w));
    }
    bool is_default = words.size() == 2 && words[1] == "default";
    if (words.size() > 2 || (words.size() == 2 && !is_default)) {
      return Fail(InvalidArgument("line " + std::to_string(line_number) +
                                  ": expected 'NAME' or 'NAME default', not '" +
                                  std::string(line) + "'"));
    }
    if (is_default) {
      names.insert(names.begin(), words[0]);
    } else {
      names.push_back(words[0]);
    }
  }
  if (names.empty()) return Fail(InvalidArgument("names no partition"));
  return names;
}

}  // namespace gantry::broker
