// DIDs: add, look up, list, erase, attach and detach, metadata.
#include <algorithm>
#include <set>

#include "catalog/catalog.h"
#include "store/cached_db.h"

namespace gantry::catalog {

Result<std::optional<Catalog::DidRow>> Catalog::FindDid(const Did& did) {
  GANTRY_ASSIGN_OR_RETURN(
      auto* q, db_->Sql("SELECT id, type, deleted FROM dids WHERE scope = ? AND name = ?"));
  q->Bind(1, did.scope).Bind(2, did.name);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<DidRow>();
  return std::optional<DidRow>(DidRow{q->Int(0), static_cast<DidType>(q->Int(1)), q->Int(2) != 0});
}

Result<Catalog::DidRow> Catalog::LiveDid(const Did& did) {
  GANTRY_ASSIGN_OR_RETURN(std::optional<DidRow> row, FindDid(did));
  if (!row) return Fail(NotFound("there is no DID " + did.ToString()));
  if (row->deleted) return Fail(NotFound("the DID " + did.ToString() + " was erased"));
  return *row;
}

Result<DidInfo> Catalog::LoadDid(int64_t id) {
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT scope, name, type, owner, vo, bytes, adler32, "
                                            "md5, created FROM dids WHERE id = ?"));
  q->Bind(1, id);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Fail(Internal("DID id " + std::to_string(id) + " vanished"));
  DidInfo d;
  d.did = {q->Text(0), q->Text(1)};
  d.type = static_cast<DidType>(q->Int(2));
  d.owner = q->Text(3);
  d.vo = q->Text(4);
  d.bytes = q->Int(5);
  d.adler32 = q->Text(6);
  d.md5 = q->Text(7);
  d.created = q->Int(8);
  if (d.type != DidType::kFile) {
    // A collection's size is that of the distinct files below it.
    GANTRY_ASSIGN_OR_RETURN(
        auto* s, db_->Sql("WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.child_id FROM "
                          "attachments a JOIN below b ON a.parent_id = b.id) SELECT "
                          "COALESCE(SUM(d.bytes), 0) FROM dids d JOIN below b ON d.id = b.id "
                          "WHERE d.type = 0"));
    s->Bind(1, id);
    GANTRY_ASSIGN_OR_RETURN(bool more, s->Step());
    if (more) d.bytes = s->Int(0);
  }
  GANTRY_ASSIGN_OR_RETURN(auto* m, db_->Sql("SELECT key, value FROM did_meta WHERE did_id = ?"));
  m->Bind(1, id);
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool more, m->Step());
    if (!more) break;
    d.meta[m->Text(0)] = m->Text(1);
  }
  return d;
}

Status Catalog::InsertDid(const model::Identity& who, const NewDid& did) {
  GANTRY_RETURN_IF_ERROR(ValidateScope(did.did.scope));
  GANTRY_RETURN_IF_ERROR(ValidateName(did.did.name));
  std::string adler32, md5;
  if (did.type == DidType::kFile) {
    if (did.bytes < 0) return Fail(InvalidArgument(did.did.ToString() + ": negative size"));
    if (did.adler32.empty()) {
      return Fail(InvalidArgument("the file " + did.did.ToString() + " needs an adler32"));
    }
    GANTRY_ASSIGN_OR_RETURN(adler32, NormalizeAdler32(did.adler32));
    if (!did.md5.empty()) {
      GANTRY_ASSIGN_OR_RETURN(md5, NormalizeMd5(did.md5));
    }
  }
  for (const auto& [key, value] : did.meta) GANTRY_RETURN_IF_ERROR(ValidateMetaKey(key));
  GANTRY_ASSIGN_OR_RETURN(std::optional<DidRow> existing, FindDid(did.did));
  if (existing) {
    return Fail(AlreadyExists(
        existing->deleted ? "the name " + did.did.ToString() +
                                " belonged to an erased DID: names are never reused"
                          : "the DID " + did.did.ToString() + " exists"));
  }
  GANTRY_RETURN_IF_ERROR(EnsureScope(who, did.did.scope));
  GANTRY_ASSIGN_OR_RETURN(auto* q,
                          db_->Sql("INSERT INTO dids(scope, name, type, owner, vo, bytes, "
                                   "adler32, md5, created) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  q->Bind(1, did.did.scope).Bind(2, did.did.name).Bind(3, static_cast<int64_t>(did.type));
  q->Bind(4, who.Display()).Bind(5, who.vo).Bind(6, did.type == DidType::kFile ? did.bytes : 0);
  q->Bind(7, adler32).Bind(8, md5).Bind(9, clock_.Now());
  GANTRY_RETURN_IF_ERROR(q->Run());
  if (!did.meta.empty()) {
    GANTRY_ASSIGN_OR_RETURN(std::optional<DidRow> row, FindDid(did.did));
    for (const auto& [key, value] : did.meta) {
      GANTRY_ASSIGN_OR_RETURN(auto* m, db_->Sql("INSERT INTO did_meta(did_id, key, value) "
                                                "VALUES(?, ?, ?)"));
      m->Bind(1, row->id).Bind(2, key).Bind(3, value);
      GANTRY_RETURN_IF_ERROR(m->Run());
    }
  }
  return {};
}

Status Catalog::AddDid(const model::Identity& who, const NewDid& did) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did.did, StorageOp::kCreate, Right::kWrite));
  return db_->InTransaction([&] { return InsertDid(who, did); });
}

Result<DidInfo> Catalog::GetDid(const model::Identity& who, const Did& did) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kRead, Right::kRead));
  GANTRY_ASSIGN_OR_RETURN(DidRow row, LiveDid(did));
  return LoadDid(row.id);
}

Result<std::vector<DidInfo>> Catalog::ListDids(const model::Identity& who,
                                               const ListDidsQuery& query) {
  GANTRY_RETURN_IF_ERROR(ValidateScope(query.scope));
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(RequireStorageScope(who, StorageOp::kRead, "/" + query.scope));
  GANTRY_ASSIGN_OR_RETURN(ScopeRecord scope, ScopeLocked(query.scope));
  GANTRY_RETURN_IF_ERROR(CheckAccess(scope, who, Right::kRead));
  // The name pattern narrows in SQL (GLOB's '*' is ours; its other wildcards are escaped);
  // the type and metadata conditions are checked per row.
  std::string glob;
  for (char c : query.name_pattern) {
    if (c == '?' || c == '[' || c == ']') {
      glob += '[';
      glob += c;
      glob += ']';
    } else {
      glob += c;
    }
  }
  GANTRY_ASSIGN_OR_RETURN(auto* q,
                          db_->Sql("SELECT id, type FROM dids WHERE scope = ? AND deleted = 0 "
                                   "AND name GLOB ? ORDER BY name"));
  q->Bind(1, query.scope).Bind(2, glob.empty() ? "*" : glob);
  std::vector<int64_t> ids;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    if (query.type && static_cast<DidType>(q->Int(1)) != *query.type) continue;
    ids.push_back(q->Int(0));
  }
  std::vector<DidInfo> out;
  for (int64_t id : ids) {
    if (static_cast<int64_t>(out.size()) >= query.limit) break;
    GANTRY_ASSIGN_OR_RETURN(DidInfo d, LoadDid(id));
    std::map<std::string, std::string> fields = d.meta;
    fields.emplace("name", d.did.name);
    fields.emplace("type", std::string(DidTypeName(d.type)));
    if (Matches(query.filter, fields)) out.push_back(std::move(d));
  }
  return out;
}

Status Catalog::EraseDid(const model::Identity& who, const Did& did) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kModify, Right::kWrite));
  return db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(DidRow row, LiveDid(did));
    for (const char* sql : {"UPDATE dids SET deleted = 1 WHERE id = ?1",
                            "DELETE FROM attachments WHERE parent_id = ?1 OR child_id = ?1",
                            "DELETE FROM replicas WHERE did_id = ?1",
                            "DELETE FROM did_meta WHERE did_id = ?1"}) {
      GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql));
      q->Bind(1, row.id);
      GANTRY_RETURN_IF_ERROR(q->Run());
    }
    return {};
  });
}

Status Catalog::Attach(const model::Identity& who, const Did& parent,
                       std::span<const Did> children) {
  if (children.empty()) return Fail(InvalidArgument("name the DIDs to attach"));
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, parent, StorageOp::kModify, Right::kWrite));
  for (const Did& c : children) GANTRY_RETURN_IF_ERROR(Authorise(who, c, StorageOp::kRead, Right::kRead));
  return db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(DidRow p, LiveDid(parent));
    if (p.type == DidType::kFile) {
      return Fail(InvalidArgument(parent.ToString() + " is a file: only datasets and containers "
                                  "hold other DIDs"));
    }
    for (const Did& c : children) {
      GANTRY_ASSIGN_OR_RETURN(DidRow child, LiveDid(c));
      if (p.type == DidType::kDataset && child.type != DidType::kFile) {
        return Fail(InvalidArgument("the dataset " + parent.ToString() + " holds files, and " +
                                    c.ToString() + " is a " +
                                    std::string(DidTypeName(child.type))));
      }
      if (p.type == DidType::kContainer && child.type == DidType::kFile) {
        return Fail(InvalidArgument("the container " + parent.ToString() +
                                    " holds datasets and containers, and " + c.ToString() +
                                    " is a file (attach it to a dataset)"));
      }
      if (child.type == DidType::kContainer) {
        // No cycles: the parent must not be below the child.
        GANTRY_ASSIGN_OR_RETURN(
            auto* cyc,
            db_->Sql("WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.child_id FROM "
                     "attachments a JOIN below b ON a.parent_id = b.id) SELECT 1 FROM "
                     "below WHERE id = ?"));
        cyc->Bind(1, child.id).Bind(2, p.id);
        GANTRY_ASSIGN_OR_RETURN(bool loop, cyc->Step());
        if (loop || child.id == p.id) {
          return Fail(InvalidArgument("attaching " + c.ToString() + " to " + parent.ToString() +
                                      " would make a cycle"));
        }
      }
      GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("INSERT INTO attachments(parent_id, child_id) "
                                                "VALUES(?, ?)"));
      q->Bind(1, p.id).Bind(2, child.id);
      if (auto s = q->Run(); !s) {
        if (s.error().code() == ErrorCode::kAlreadyExists) {
          return Fail(AlreadyExists(c.ToString() + " is already attached to " + parent.ToString()));
        }
        return s;
      }
    }
    return {};
  });
}

Status Catalog::Detach(const model::Identity& who, const Did& parent,
                       std::span<const Did> children) {
  if (children.empty()) return Fail(InvalidArgument("name the DIDs to detach"));
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, parent, StorageOp::kModify, Right::kWrite));
  return db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(DidRow p, LiveDid(parent));
    for (const Did& c : children) {
      GANTRY_ASSIGN_OR_RETURN(DidRow child, LiveDid(c));
      GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("DELETE FROM attachments WHERE parent_id = ? AND "
                                                "child_id = ? RETURNING 1"));
      q->Bind(1, p.id).Bind(2, child.id);
      GANTRY_ASSIGN_OR_RETURN(bool deleted, q->Step());
      q->Reset();
      if (!deleted) {
        return Fail(NotFound(c.ToString() + " is not attached to " + parent.ToString()));
      }
    }
    return {};
  });
}

Result<std::vector<DidInfo>> Catalog::ListContent(const model::Identity& who, const Did& did) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kRead, Right::kRead));
  GANTRY_ASSIGN_OR_RETURN(DidRow row, LiveDid(did));
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT a.child_id FROM attachments a JOIN dids d ON "
                                            "d.id = a.child_id WHERE a.parent_id = ? "
                                            "ORDER BY d.scope, d.name"));
  q->Bind(1, row.id);
  std::vector<int64_t> ids;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool more, q->Step());
    if (!more) break;
    ids.push_back(q->Int(0));
  }
  std::vector<DidInfo> out;
  for (int64_t id : ids) {
    GANTRY_ASSIGN_OR_RETURN(DidInfo d, LoadDid(id));
    out.push_back(std::move(d));
  }
  return out;
}

Status Catalog::SetMeta(const model::Identity& who, const Did& did, const std::string& key,
                        const std::string& value) {
  GANTRY_RETURN_IF_ERROR(ValidateMetaKey(key));
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kModify, Right::kWrite));
  GANTRY_ASSIGN_OR_RETURN(DidRow row, LiveDid(did));
  GANTRY_ASSIGN_OR_RETURN(
      auto* q, db_->Sql(value.empty() ? "DELETE FROM did_meta WHERE did_id = ? AND key = ?"
                                      : "INSERT OR REPLACE INTO did_meta(did_id, key, value) "
                                        "VALUES(?, ?, ?)"));
  q->Bind(1, row.id).Bind(2, key);
  if (!value.empty()) q->Bind(3, value);
  return q->Run();
}

}  // namespace gantry::catalog
