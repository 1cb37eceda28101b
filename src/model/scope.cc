#include "model/scope.h"

#include "base/strings.h"

namespace gantry::model {
namespace {

constexpr Scope kAllScopes[] = {Scope::kComputeRead, Scope::kComputeCreate,
                                Scope::kComputeModify, Scope::kComputeCancel, Scope::kAgent};

}  // namespace

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kComputeRead: return "compute.read";
    case Scope::kComputeCreate: return "compute.create";
    case Scope::kComputeModify: return "compute.modify";
    case Scope::kComputeCancel: return "compute.cancel";
    case Scope::kAgent: return "gantry.agent";
  }
  return "unknown";
}

std::optional<Scope> ParseScope(std::string_view name) {
  for (Scope scope : kAllScopes) {
    if (ScopeName(scope) == name) return scope;
  }
  return std::nullopt;
}

ScopeSet ScopeSet::All() {
  ScopeSet set;
  for (Scope scope : kAllScopes) {
    if (scope != Scope::kAgent) set.Add(scope);
  }
  return set;
}

ScopeSet ScopeSet::Parse(std::string_view text) {
  ScopeSet set;
  for (const std::string& word : Split(text, ' ')) {
    std::string_view w = Trim(word);
    if (w.empty()) continue;
    if (auto scope = ParseScope(w)) {
      set.Add(*scope);
    } else {
      set.unknown_.emplace_back(w);
    }
  }
  return set;
}

std::string ScopeSet::ToString() const {
  std::string out;
  for (Scope scope : kAllScopes) {
    if (!Has(scope)) continue;
    if (!out.empty()) out += ' ';
    out += ScopeName(scope);
  }
  return out;
}

}  // namespace gantry::model
