// Identity is model::Identity (the broker and the store speak of callers without linking
// this library); here are the FQAN helpers that fill one. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "identity/scope.h"
#include "model/identity.h"

namespace gantry::identity {

using Kind = model::IdentityKind;
using model::Identity;
using model::kLocalIssuer;
inline std::string_view KindName(Kind kind) { return model::IdentityKindName(kind); }

// An FQAN (VOMS style) split into group and role: "/cms/prod/Role=production" ->
// {"/cms/prod", "production"}; "/cms" -> {"/cms", ""}.
struct Fqan {
  std::string group;
  std::string role;
};
Fqan SplitFqan(std::string_view fqan);
// "cms" for "/cms/prod" and "/cms/Role=x"; "" for anything not starting with '/'.
std::string VoOf(std::string_view group_or_fqan);
// Sorts wlcg.groups-style entries into groups and roles and sets vo from the first one.
void AddGroupsAndRoles(const std::vector<std::string>& entries, Identity& identity);

}  // namespace gantry::identity
