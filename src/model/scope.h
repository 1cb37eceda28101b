// Scopes of the WLCG Common JWT profile that Gantry understands (compute.*), plus the
// agent protocol's own: what a credential allows. Part of model::Identity, so the broker
// and the API share it without linking the token library. ScopeSet is a small value type:
// thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::model {

enum class Scope : uint8_t {
  kComputeRead,    // "compute.read": queries (q, status, events, logs)
  kComputeCreate,  // "compute.create": submit
  kComputeModify,  // "compute.modify": hold, release, edit
  kComputeCancel,  // "compute.cancel": cancel
  kAgent,          // "gantry.agent": register, poll and report as an agent; nothing else
};

std::string_view ScopeName(Scope scope);
std::optional<Scope> ParseScope(std::string_view name);

class ScopeSet {
 public:
  ScopeSet() = default;
  static ScopeSet All();     // every compute.* scope (not the agent's)
  // The space-separated "scope" claim. Unknown scopes (storage.read:/, ...) are kept in
  // unknown() so `gantry token inspect` can show them; they grant nothing here.
  static ScopeSet Parse(std::string_view text);

  bool Has(Scope scope) const { return (bits_ >> static_cast<int>(scope)) & 1; }
  void Add(Scope scope) { bits_ |= 1u << static_cast<int>(scope); }
  bool empty() const { return bits_ == 0; }
  const std::vector<std::string>& unknown() const { return unknown_; }
  // "compute.read compute.create", known scopes in enum order.
  std::string ToString() const;
  bool operator==(const ScopeSet& other) const { return bits_ == other.bits_; }

 private:
  uint32_t bits_ = 0;
  std::vector<std::string> unknown_;
};

}  // namespace gantry::model
