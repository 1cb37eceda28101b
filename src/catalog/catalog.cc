// The catalog's store, scopes and RSEs. Schema: docs/data.md "Catalog schema".
#include "catalog/catalog.h"

#include "base/strings.h"
#include "catalog/rse_expression.h"
#include "store/cached_db.h"

namespace gantry::catalog {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS rses(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, site TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rse_attributes(
  rse_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(rse_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rse_protocols(
  rse_id INTEGER NOT NULL, scheme TEXT NOT NULL, prefix TEXT NOT NULL,
  PRIMARY KEY(rse_id, scheme)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scopes(
  name TEXT PRIMARY KEY, owner TEXT NOT NULL, vo TEXT NOT NULL, created INTEGER NOT NULL)
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scope_acl(
  scope TEXT NOT NULL, principal TEXT NOT NULL, access TEXT NOT NULL,
  PRIMARY KEY(scope, principal, access)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dids(
  id INTEGER PRIMARY KEY, scope TEXT NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL,
  owner TEXT NOT NULL, vo TEXT NOT NULL, bytes INTEGER NOT NULL, adler32 TEXT NOT NULL,
  md5 TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  UNIQUE(scope, name));
CREATE TABLE IF NOT EXISTS did_meta(
  did_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(did_id, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS did_meta_by_key ON did_meta(key, value);
CREATE TABLE IF NOT EXISTS attachments(
  parent_id INTEGER NOT NULL, child_id INTEGER NOT NULL,
  PRIMARY KEY(parent_id, child_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attachments_by_child ON attachments(child_id);
CREATE TABLE IF NOT EXISTS replicas(
  did_id INTEGER NOT NULL, rse_id INTEGER NOT NULL, state INTEGER NOT NULL, path TEXT,
  created INTEGER NOT NULL, updated INTEGER NOT NULL,
  PRIMARY KEY(did_id, rse_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS replicas_by_rse ON replicas(rse_id);
)sql";

}  // namespace

Status ValidateRseName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Fail(InvalidArgument("an RSE name has 1 to 64 characters"));
  }
  for (char c : name) {
    if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
      return Fail(InvalidArgument("the RSE name '" + std::string(name) +
                                  "' may only have upper-case letters, digits, '_' and '-'"));
    }
  }
  return {};
}

Result<std::string> SchemeOfPrefix(std::string_view prefix) {
  size_t sep = prefix.find("://");
  std::string scheme(sep == std::string_view::npos ? "" : prefix.substr(0, sep));
  if (scheme != "file" && scheme != "root" && scheme != "https") {
    return Fail(InvalidArgument("the URL prefix '" + std::string(prefix) +
                                "' must start with file://, root:// or https://"));
  }
  std::string_view rest = prefix.substr(sep + 3);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || (scheme != "file" && slash == 0)) {
    return Fail(InvalidArgument("the URL prefix '" + std::string(prefix) +
                                "' needs a " + (scheme == "file" ? "" : "host and a ") + "path"));
  }
  return scheme;
}

Catalog::Catalog(std::unique_ptr<store::CachedDb> db, const Clock& clock)
    : clock_(clock), db_(std::move(db)) {}

Catalog::~Catalog() = default;

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path, const Clock& clock) {
  GANTRY_ASSIGN_OR_RETURN(auto db,
                          store::CachedDb::Open(path, "the catalog", kSchema, kSchemaVersion));
  GANTRY_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=OFF"));
  return std::unique_ptr<Catalog>(new Catalog(std::move(db), clock));
}

// --- scopes ---

Result<ScopeRecord> Catalog::ScopeLocked(const std::string& scope) {
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT owner, vo FROM scopes WHERE name = ?"));
  q->Bind(1, scope);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Fail(NotFound("there is no scope '" + scope + "'"));
  ScopeRecord r{scope, q->Text(0), q->Text(1), {}};
  GANTRY_ASSIGN_OR_RETURN(auto* acl,
                          db_->Sql("SELECT principal, access FROM scope_acl WHERE scope = ? "
                                   "ORDER BY principal, access"));
  acl->Bind(1, scope);
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool more, acl->Step());
    if (!more) break;
    r.acl.push_back({acl->Text(0), acl->Text(1) == "write" ? Right::kWrite : Right::kRead});
  }
  return r;
}

Status Catalog::EnsureScope(const model::Identity& who, const std::string& scope) {
  GANTRY_RETURN_IF_ERROR(ValidateScope(scope));
  GANTRY_ASSIGN_OR_RETURN(auto* q,
                          db_->Sql("INSERT OR IGNORE INTO scopes(name, owner, vo, created) "
                                   "VALUES(?, ?, ?, ?)"));
  q->Bind(1, scope).Bind(2, who.Display()).Bind(3, who.vo).Bind(4, clock_.Now());
  return q->Run();
}

Status Catalog::AddScope(const model::Identity& who, const std::string& scope,
                         const std::string& vo) {
  GANTRY_RETURN_IF_ERROR(ValidateScope(scope));
  if (!who.grants.admin && !vo.empty() && vo != who.vo) {
    return Fail(PermissionDenied(who.Display() + " is not in the VO '" + vo +
                                 "' (only admins make scopes for other VOs)"));
  }
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(RequireStorageScope(who, StorageOp::kCreate, "/" + scope));
  return db_->InTransaction([&]() -> Status {
    if (ScopeLocked(scope)) return Fail(AlreadyExists("the scope '" + scope + "' exists"));
    GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("INSERT INTO scopes(name, owner, vo, created) "
                                              "VALUES(?, ?, ?, ?)"));
    q->Bind(1, scope).Bind(2, who.Display()).Bind(3, vo.empty() ? who.vo : vo).Bind(4,
                                                                                  clock_.Now());
    return q->Run();
  });
}

Result<ScopeRecord> Catalog::GetScope(const std::string& scope) {
  std::lock_guard lock(mu_);
  return ScopeLocked(scope);
}

Result<std::vector<ScopeRecord>> Catalog::ListScopes() {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT name FROM scopes ORDER BY name"));
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    names.push_back(q->Text(0));
  }
  std::vector<ScopeRecord> out;
  for (const auto& n : names) {
    GANTRY_ASSIGN_OR_RETURN(ScopeRecord r, ScopeLocked(n));
    out.push_back(std::move(r));
  }
  return out;
}

Status Catalog::SetAcl(const model::Identity& who, const std::string& scope,
                       const AclEntry& entry, bool granted) {
  GANTRY_RETURN_IF_ERROR(ValidatePrincipal(entry.principal));
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(ScopeRecord record, ScopeLocked(scope));
  if (!who.grants.admin && record.owner != who.Display()) {
    return Fail(PermissionDenied("only the owner of the scope '" + scope + "' (" +
                                 record.owner + ") or an admin may change its ACL"));
  }
  GANTRY_RETURN_IF_ERROR(RequireStorageScope(who, StorageOp::kModify, "/" + scope));
  GANTRY_ASSIGN_OR_RETURN(
      auto* q, db_->Sql(granted ? "INSERT OR IGNORE INTO scope_acl(scope, principal, access) "
                                  "VALUES(?, ?, ?)"
                                : "DELETE FROM scope_acl WHERE scope = ? AND principal = ? AND "
                                  "access = ?"));
  q->Bind(1, scope).Bind(2, entry.principal).Bind(3, RightName(entry.right));
  return q->Run();
}

Status Catalog::Authorise(const model::Identity& who, const Did& did, StorageOp op,
                          Right right) {
  GANTRY_RETURN_IF_ERROR(RequireStorageScope(who, op, "/" + did.scope + "/" + did.name));
  auto scope = ScopeLocked(did.scope);
  if (!scope) {
    if (scope.error().code() == ErrorCode::kNotFound && op == StorageOp::kCreate) return {};
    if (scope.error().code() == ErrorCode::kNotFound) {
      return Fail(NotFound("there is no DID " + did.ToString() + " (no scope '" + did.scope +
                           "')"));
    }
    return Fail(scope.error());
  }
  return CheckAccess(*scope, who, right);
}

// --- RSEs ---

Result<int64_t> Catalog::RseId(const std::string& name) {
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT id FROM rses WHERE name = ?"));
  q->Bind(1, name);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) {
    return Fail(NotFound("there is no RSE '" + name + "' (see gantry data list-rses)"));
  }
  return q->Int(0);
}

Result<Rse> Catalog::LoadRse(int64_t id) {
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT name, site FROM rses WHERE id = ?"));
  q->Bind(1, id);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Fail(NotFound("no RSE with id " + std::to_string(id)));
  Rse rse{q->Text(0), q->Text(1), {}, {}};
  GANTRY_ASSIGN_OR_RETURN(auto* a,
                          db_->Sql("SELECT key, value FROM rse_attributes WHERE rse_id = ?"));
  a->Bind(1, id);
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool more, a->Step());
    if (!more) break;
    rse.attributes[a->Text(0)] = a->Text(1);
  }
  rse.attributes["site"] = rse.site;
  GANTRY_ASSIGN_OR_RETURN(auto* p,
                          db_->Sql("SELECT scheme, prefix FROM rse_protocols WHERE rse_id = ?"));
  p->Bind(1, id);
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool more, p->Step());
    if (!more) break;
    rse.protocols[p->Text(0)] = p->Text(1);
  }
  return rse;
}

namespace {

Status MustBeAdmin(const model::Identity& who, std::string_view what) {
  if (who.grants.admin) return {};
  return Fail(PermissionDenied(std::string(what) + " needs an 'admin' rule of the policy naming " +
                               who.Display() + " (or root, or the server's own user)"));
}

}  // namespace

Status Catalog::AddRse(const model::Identity& who, const Rse& rse) {
  GANTRY_RETURN_IF_ERROR(MustBeAdmin(who, "adding an RSE"));
  GANTRY_RETURN_IF_ERROR(ValidateRseName(rse.name));
  if (rse.site.empty()) return Fail(InvalidArgument("the RSE " + rse.name + " needs a site"));
  for (const auto& [key, value] : rse.attributes) {
    GANTRY_RETURN_IF_ERROR(ValidateMetaKey(key));
  }
  for (const auto& [scheme, prefix] : rse.protocols) {
    GANTRY_ASSIGN_OR_RETURN(std::string s, SchemeOfPrefix(prefix));
    if (s != scheme) return Fail(InvalidArgument("the prefix " + prefix + " is not " + scheme));
  }
  std::lock_guard lock(mu_);
  return db_->InTransaction([&]() -> Status {
    if (RseId(rse.name)) return Fail(AlreadyExists("the RSE " + rse.name + " exists"));
    GANTRY_ASSIGN_OR_RETURN(auto* q,
                            db_->Sql("INSERT INTO rses(name, site, created) VALUES(?, ?, ?)"));
    q->Bind(1, rse.name).Bind(2, rse.site).Bind(3, clock_.Now());
    GANTRY_RETURN_IF_ERROR(q->Run());
    GANTRY_ASSIGN_OR_RETURN(int64_t id, RseId(rse.name));
    for (const auto& [key, value] : rse.attributes) {
      if (key == "site") continue;
      GANTRY_ASSIGN_OR_RETURN(auto* a, db_->Sql("INSERT INTO rse_attributes(rse_id, key, value) "
                                                "VALUES(?, ?, ?)"));
      a->Bind(1, id).Bind(2, key).Bind(3, value);
      GANTRY_RETURN_IF_ERROR(a->Run());
    }
    for (const auto& [scheme, prefix] : rse.protocols) {
      GANTRY_ASSIGN_OR_RETURN(auto* p, db_->Sql("INSERT INTO rse_protocols(rse_id, scheme, prefix) "
                                                "VALUES(?, ?, ?)"));
      p->Bind(1, id).Bind(2, scheme).Bind(3, prefix);
      GANTRY_RETURN_IF_ERROR(p->Run());
    }
    return {};
  });
}

Status Catalog::SetRseAttribute(const model::Identity& who, const std::string& rse,
                                const std::string& key, const std::string& value) {
  GANTRY_RETURN_IF_ERROR(MustBeAdmin(who, "changing an RSE"));
  GANTRY_RETURN_IF_ERROR(ValidateMetaKey(key));
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(int64_t id, RseId(rse));
  if (key == "site") {
    if (value.empty()) return Fail(InvalidArgument("an RSE's site cannot be empty"));
    GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("UPDATE rses SET site = ? WHERE id = ?"));
    q->Bind(1, value).Bind(2, id);
    return q->Run();
  }
  GANTRY_ASSIGN_OR_RETURN(
      auto* q, db_->Sql(value.empty() ? "DELETE FROM rse_attributes WHERE rse_id = ? AND key = ?"
                                      : "INSERT OR REPLACE INTO rse_attributes(rse_id, key, value) "
                                        "VALUES(?, ?, ?)"));
  q->Bind(1, id).Bind(2, key);
  if (!value.empty()) q->Bind(3, value);
  return q->Run();
}

Status Catalog::SetRseProtocol(const model::Identity& who, const std::string& rse,
                               const std::string& prefix) {
  GANTRY_RETURN_IF_ERROR(MustBeAdmin(who, "changing an RSE"));
  GANTRY_ASSIGN_OR_RETURN(std::string scheme, SchemeOfPrefix(prefix));
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(int64_t id, RseId(rse));
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("INSERT OR REPLACE INTO rse_protocols(rse_id, scheme, "
                                            "prefix) VALUES(?, ?, ?)"));
  q->Bind(1, id).Bind(2, scheme).Bind(3, prefix);
  return q->Run();
}

Result<std::vector<Rse>> Catalog::ListRses(const std::string& expression) {
  std::optional<RseExpression> parsed;
  if (!expression.empty()) {
    GANTRY_ASSIGN_OR_RETURN(RseExpression e, RseExpression::Parse(expression));
    parsed = std::move(e);
  }
  std::lock_guard lock(mu_);
  std::vector<int64_t> ids;
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT id FROM rses ORDER BY name"));
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    ids.push_back(q->Int(0));
  }
  std::vector<Rse> all;
  for (int64_t id : ids) {
    GANTRY_ASSIGN_OR_RETURN(Rse r, LoadRse(id));
    all.push_back(std::move(r));
  }
  if (!parsed) return all;
  std::vector<RseView> views;
  for (const auto& r : all) views.push_back({r.name, r.attributes});
  std::vector<std::string> chosen = parsed->Select(views);
  std::vector<Rse> out;
  for (auto& r : all) {
    if (std::find(chosen.begin(), chosen.end(), r.name) != chosen.end()) out.push_back(r);
  }
  return out;
}

Result<Rse> Catalog::GetRse(const std::string& name) {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(int64_t id, RseId(name));
  return LoadRse(id);
}

}  // namespace gantry::catalog
