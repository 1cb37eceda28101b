// Who may do what in the catalog, decided twice (docs/data.md "Access"):
// - the credential: a token must carry the WLCG storage scope for the path it touches
//   (storage.read:/cms covers /cms and /cms/x, not /cmsx; storage.modify implies create);
//   Unix-socket callers are known by their account and hold every storage scope;
// - the scope's ACL: its owner and admins may do anything; members of its VO may read
//   (anyone may read a scope without a VO); further rights are granted to a VO, a group,
//   a role or a user ("vo:cms", "group:/cms/prod", "role:/cms/Role=production",
//   "user:alice@local", "any").
// A DID scope:name has the storage path /scope/name. Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "model/identity.h"

namespace gantry::catalog {

enum class StorageOp { kRead, kCreate, kModify };
std::string_view StorageScopeName(StorageOp op);  // "storage.read", ...

// PermissionDenied naming the scope the token lacks, e.g. "the token of a1@https://iam/
// lacks storage.create:/cms/file1 (it holds: storage.read:/cms)".
Status RequireStorageScope(const model::Identity& who, StorageOp op, std::string_view path);

enum class Right { kRead, kWrite };
std::string_view RightName(Right right);  // "read", "write"
Result<Right> ParseRight(std::string_view text);

struct AclEntry {
  std::string principal;  // "vo:cms", "group:/cms/prod", "role:/cms/Role=x", "user:a@b", "any"
  Right right = Right::kRead;
  bool operator==(const AclEntry&) const = default;
};

// Checks the principal's form.
Status ValidatePrincipal(std::string_view principal);

// A scope of the catalog: who made it (Identity::Display()), its VO, its grants.
struct ScopeRecord {
  std::string scope;
  std::string owner;
  std::string vo;
  std::vector<AclEntry> acl;
};

bool PrincipalMatches(std::string_view principal, const model::Identity& who);
// PermissionDenied saying who lacks which right on which scope, and who could grant it.
Status CheckAccess(const ScopeRecord& scope, const model::Identity& who, Right right);

}  // namespace gantry::catalog
