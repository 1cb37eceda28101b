// Data identifiers as Rucio has them: "scope:name", of files, datasets (which hold files)
// and containers (which hold datasets and containers), and the states of a replica. Pure
// value types and their parsers: thread-compatible.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::catalog {

enum class DidType { kFile, kDataset, kContainer };

std::string_view DidTypeName(DidType type);  // "file", "dataset", "container"
Result<DidType> ParseDidType(std::string_view text);

struct Did {
  std::string scope;
  std::string name;

  std::string ToString() const { return scope + ":" + name; }
  auto operator<=>(const Did&) const = default;
};

// Rucio's default naming rules: a scope is 1-30 of [A-Za-z0-9_.-]; a name starts with a
// letter or digit and has at most 250 of [A-Za-z0-9_.+-] (no '/': a DID is one URL segment
// and one file name). Errors name the offending character.
Status ValidateScope(std::string_view scope);
Status ValidateName(std::string_view name);
// "scope:name"; the error says which part is wrong.
Result<Did> ParseDid(std::string_view text);

enum class ReplicaState { kAvailable, kCopying, kBad };

std::string_view ReplicaStateName(ReplicaState state);  // "available", "copying", "bad"
Result<ReplicaState> ParseReplicaState(std::string_view text);

// Checksums as the catalog keeps them: adler32 as 8 lowercase hex digits, md5 as 32.
// Upper case is accepted and lowered; anything else is refused with the field's name.
Result<std::string> NormalizeAdler32(std::string_view text);
Result<std::string> NormalizeMd5(std::string_view text);

}  // namespace gantry::catalog
