// Metadata filters, as `rucio list-dids --filter` takes them: comma-separated conditions
// on key-values, all of which must hold: "run=358031,datatype=AOD", "events>1000",
// "campaign!=old". Comparisons with < > <= >= are numeric; = and != compare numbers as
// numbers when both sides are numbers, else as text. The keys "type" and "name" are the
// DID's own (name takes a '*' wildcard). Pure; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::catalog {

struct MetaCondition {
  enum class Op { kEquals, kNotEquals, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };
  std::string key;
  Op op;
  std::string value;
};

// Errors say which condition and why: "filter 'events>x': '>' compares with a number".
Result<std::vector<MetaCondition>> ParseMetaFilter(std::string_view text);

// Whether one value satisfies a condition (absent keys satisfy only !=).
bool Satisfies(const MetaCondition& condition, const std::string* value);

// All conditions against a DID's key-values.
bool Matches(const std::vector<MetaCondition>& conditions,
             const std::map<std::string, std::string>& meta);

// Shell-style '*' wildcard match over the whole text ("data18_*.AOD*").
bool WildcardMatch(std::string_view pattern, std::string_view text);

// Keys of metadata: 1-64 of [A-Za-z0-9_.-], not starting with a digit.
Status ValidateMetaKey(std::string_view key);

}  // namespace gantry::catalog
