#include "catalog/access.h"

#include "base/strings.h"

namespace gantry::catalog {
namespace {

// Whether a granted path covers the requested one, path-component-wise.
bool Covers(std::string_view granted, std::string_view path) {
  if (granted.empty()) granted = "/";
  if (granted.size() > 1 && granted.back() == '/') granted.remove_suffix(1);
  if (granted == "/") return true;
  if (!path.starts_with(granted)) return false;
  return path.size() == granted.size() || path[granted.size()] == '/';
}

bool Holds(const model::Identity& who, StorageOp op, std::string_view path) {
  for (const std::string& s : who.scopes.unknown()) {
    size_t colon = s.find(':');
    if (colon == std::string::npos) continue;
    std::string_view name = std::string_view(s).substr(0, colon);
    std::string_view granted = std::string_view(s).substr(colon + 1);
    bool right_kind = name == StorageScopeName(op) ||
                      (op == StorageOp::kCreate && name == StorageScopeName(StorageOp::kModify));
    if (right_kind && Covers(granted, path)) return true;
  }
  return false;
}

}  // namespace

std::string_view StorageScopeName(StorageOp op) {
  switch (op) {
    case StorageOp::kRead: return "storage.read";
    case StorageOp::kCreate: return "storage.create";
    case StorageOp::kModify: return "storage.modify";
  }
  return "storage.read";
}

Status RequireStorageScope(const model::Identity& who, StorageOp op, std::string_view path) {
  if (who.kind == model::IdentityKind::kLocal) return {};
  if (who.kind == model::IdentityKind::kAgent) {
    return Fail(PermissionDenied("the agent credential of " + who.Display() +
                                 " may only use the agent protocol"));
  }
  if (Holds(who, op, path)) return {};
  std::vector<std::string> held;
  for (const std::string& s : who.scopes.unknown()) {
    if (s.starts_with("storage.")) held.push_back(s);
  }
  return Fail(PermissionDenied("the token of " + who.Display() + " lacks the scope " +
                               std::string(StorageScopeName(op)) + ":" + std::string(path) +
                               " (its storage scopes: " +
                               (held.empty() ? "none" : Join(held, " ")) + ")"));
}

std::string_view RightName(Right right) { return right == Right::kRead ? "read" : "write"; }

Result<Right> ParseRight(std::string_view text) {
  if (text == "read") return Right::kRead;
  if (text == "write") return Right::kWrite;
  return Fail(InvalidArgument("unknown right '" + std::string(text) + "' (read or write)"));
}

Status ValidatePrincipal(std::string_view p) {
  if (p == "any") return {};
  for (std::string_view kind : {"vo:", "group:", "role:", "user:"}) {
    if (p.starts_with(kind) && p.size() > kind.size()) {
      if ((kind == "group:" || kind == "role:") && p[kind.size()] != '/') break;
      return {};
    }
  }
  return Fail(InvalidArgument("'" + std::string(p) +
                              "' is not a principal: vo:NAME, group:/VO/GROUP, "
                              "role:/VO/Role=ROLE, user:SUBJECT@ISSUER or any"));
}

bool PrincipalMatches(std::string_view p, const model::Identity& who) {
  if (p == "any") return true;
  if (p.starts_with("vo:")) return !who.vo.empty() && p.substr(3) == who.vo;
  if (p.starts_with("group:")) return who.HasGroup(p.substr(6));
  if (p.starts_with("role:")) return who.HasRole(p.substr(5));
  if (p.starts_with("user:")) return p.substr(5) == who.Display();
  return false;
}

Status CheckAccess(const ScopeRecord& scope, const model::Identity& who, Right right) {
  if (who.grants.admin || scope.owner == who.Display()) return {};
  if (right == Right::kRead && (scope.vo.empty() || scope.vo == who.vo)) return {};
  for (const AclEntry& e : scope.acl) {
    if ((e.right == right || e.right == Right::kWrite) && PrincipalMatches(e.principal, who)) {
      return {};
    }
  }
  return Fail(PermissionDenied(who.Display() + " may not " +
                               (right == Right::kRead ? "read" : "write") + " the scope '" +
                               scope.scope + "' (owned by " + scope.owner +
                               (scope.vo.empty() ? "" : ", VO " + scope.vo) +
                               "; its owner can grant it with gantry data set-acl)"));
}

}  // namespace gantry::catalog
