#include "catalog/did.h"

#include <cctype>
#include <cstdio>

namespace gantry::catalog {
namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string Shown(char c) {
  if (std::isprint(static_cast<unsigned char>(c))) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(c));
  return buf;
}

Result<std::string> NormalizeHex(std::string_view text, size_t length, std::string_view what) {
  if (text.size() != length) {
    return Fail(InvalidArgument(std::string(what) + " '" + std::string(text) + "' is not " +
                                std::to_string(length) + " hex digits"));
  }
  std::string out;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Fail(InvalidArgument(std::string(what) + " '" + std::string(text) +
                                  "' has a character that is not a hex digit: " + Shown(c)));
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string_view DidTypeName(DidType type) {
  switch (type) {
    case DidType::kFile: return "file";
    case DidType::kDataset: return "dataset";
    case DidType::kContainer: return "container";
  }
  return "file";
}

Result<DidType> ParseDidType(std::string_view text) {
  if (text == "file" || text == "FILE") return DidType::kFile;
  if (text == "dataset" || text == "DATASET") return DidType::kDataset;
  if (text == "container" || text == "CONTAINER") return DidType::kContainer;
  return Fail(InvalidArgument("unknown DID type '" + std::string(text) +
                              "' (file, dataset or container)"));
}

Status ValidateScope(std::string_view scope) {
  if (scope.empty()) return Fail(InvalidArgument("the scope is empty"));
  if (scope.size() > 30) {
    return Fail(InvalidArgument("the scope '" + std::string(scope) +
                                "' is longer than 30 characters"));
  }
  for (char c : scope) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '-') {
      return Fail(InvalidArgument("the scope '" + std::string(scope) + "' has " + Shown(c) +
                                  " (letters, digits, '_', '.' and '-' only)"));
    }
  }
  return {};
}

Status ValidateName(std::string_view name) {
  if (name.empty()) return Fail(InvalidArgument("the name is empty"));
  if (name.size() > 250) {
    return Fail(InvalidArgument("the name '" + std::string(name.substr(0, 40)) +
                                "...' is longer than 250 characters"));
  }
  if (!IsAlnum(name[0])) {
    return Fail(InvalidArgument("the name '" + std::string(name) +
                                "' must start with a letter or a digit"));
  }
  for (char c : name) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '-' && c != '+') {
      return Fail(InvalidArgument("the name '" + std::string(name) + "' has " + Shown(c) +
                                  " (letters, digits, '_', '.', '+' and '-' only)"));
    }
  }
  return {};
}

Result<Did> ParseDid(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Fail(InvalidArgument("'" + std::string(text) +
                                "' is not a data identifier: write it as scope:name"));
  }
  Did did{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  if (auto s = ValidateScope(did.scope); !s) return Fail(s.error().Wrap(std::string(text)));
  if (auto s = ValidateName(did.name); !s) return Fail(s.error().Wrap(std::string(text)));
  return did;
}

std::string_view ReplicaStateName(ReplicaState state) {
  switch (state) {
    case ReplicaState::kAvailable: return "available";
    case ReplicaState::kCopying: return "copying";
    case ReplicaState::kBad: return "bad";
  }
  return "available";
}

Result<ReplicaState> ParseReplicaState(std::string_view text) {
  if (text == "available" || text == "A") return ReplicaState::kAvailable;
  if (text == "copying" || text == "C") return ReplicaState::kCopying;
  if (text == "bad" || text == "B") return ReplicaState::kBad;
  return Fail(InvalidArgument("unknown replica state '" + std::string(text) +
                              "' (available, copying or bad)"));
}

Result<std::string> NormalizeAdler32(std::string_view text) {
  return NormalizeHex(text, 8, "adler32");
}
Result<std::string> NormalizeMd5(std::string_view text) { return NormalizeHex(text, 32, "md5"); }

}  // namespace gantry::catalog
