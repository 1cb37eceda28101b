// Replicas and storage usage.
#include <set>

#include "catalog/catalog.h"
#include "store/cached_db.h"

namespace gantry::catalog {
namespace {

std::string Pfn(const std::string& prefix, const std::string& path) {
  std::string p = prefix;
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p + "/" + path;
}

}  // namespace

Status Catalog::AddReplicas(const model::Identity& who, const std::string& rse,
                            std::span<const NewReplica> files) {
  if (files.empty()) return Fail(InvalidArgument("name the files to register"));
  std::lock_guard lock(mu_);
  for (const NewReplica& f : files) {
    GANTRY_RETURN_IF_ERROR(Authorise(who, f.file.did, StorageOp::kCreate, Right::kWrite));
  }
  return db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(int64_t rse_id, RseId(rse));
    TimeMicros now = clock_.Now();
    for (const NewReplica& f : files) {
      if (f.file.type != DidType::kFile) {
        return Fail(InvalidArgument(f.file.did.ToString() + ": only files have replicas"));
      }
      GANTRY_ASSIGN_OR_RETURN(std::optional<DidRow> row, FindDid(f.file.did));
      if (!row) {
        GANTRY_RETURN_IF_ERROR(InsertDid(who, f.file));
        GANTRY_ASSIGN_OR_RETURN(row, FindDid(f.file.did));
      } else {
        if (row->deleted) {
          return Fail(AlreadyExists("the name " + f.file.did.ToString() +
                                    " belonged to an erased DID: names are never reused"));
        }
        if (row->type != DidType::kFile) {
          return Fail(InvalidArgument(f.file.did.ToString() + " is a " +
                                      std::string(DidTypeName(row->type)) + ", not a file"));
        }
        GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT bytes, adler32 FROM dids WHERE id = ?"));
        q->Bind(1, row->id);
        GANTRY_ASSIGN_OR_RETURN(bool found, q->Step());
        int64_t bytes = found ? q->Int(0) : -1;
        std::string adler32 = found ? q->Text(1) : "";
        if (!f.file.adler32.empty()) {
          GANTRY_ASSIGN_OR_RETURN(std::string given, NormalizeAdler32(f.file.adler32));
          if (given != adler32 || f.file.bytes != bytes) {
            return Fail(InvalidArgument(
                "the replica of " + f.file.did.ToString() + " (" + std::to_string(f.file.bytes) +
                " bytes, adler32 " + given + ") is not the file the catalog knows (" +
                std::to_string(bytes) + " bytes, adler32 " + adler32 + ")"));
          }
        }
      }
      GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("INSERT INTO replicas(did_id, rse_id, state, path, "
                                                "created, updated) VALUES(?, ?, ?, ?, ?, ?)"));
      q->Bind(1, row->id).Bind(2, rse_id).Bind(3, static_cast<int64_t>(f.state));
      if (f.path.empty()) {
        q->BindNull(4);
      } else {
        q->Bind(4, f.path);
      }
      q->Bind(5, now).Bind(6, now);
      if (auto s = q->Run(); !s) {
        if (s.error().code() == ErrorCode::kAlreadyExists) {
          return Fail(AlreadyExists(f.file.did.ToString() + " already has a replica on " + rse));
        }
        return s;
      }
    }
    return {};
  });
}

Status Catalog::SetReplicaState(const model::Identity& who, const std::string& rse,
                                const Did& did, ReplicaState state) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kModify, Right::kWrite));
  GANTRY_ASSIGN_OR_RETURN(int64_t rse_id, RseId(rse));
  GANTRY_ASSIGN_OR_RETURN(DidRow row, LiveDid(did));
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("UPDATE replicas SET state = ?, updated = ? WHERE "
                                            "did_id = ? AND rse_id = ? RETURNING 1"));
  q->Bind(1, static_cast<int64_t>(state)).Bind(2, clock_.Now()).Bind(3, row.id).Bind(4, rse_id);
  GANTRY_ASSIGN_OR_RETURN(bool updated, q->Step());
  q->Reset();
  if (!updated) return Fail(NotFound(did.ToString() + " has no replica on " + rse));
  return {};
}

Status Catalog::DeleteReplica(const model::Identity& who, const std::string& rse,
                              const Did& did) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kModify, Right::kWrite));
  GANTRY_ASSIGN_OR_RETURN(int64_t rse_id, RseId(rse));
  GANTRY_ASSIGN_OR_RETURN(DidRow row, LiveDid(did));
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("DELETE FROM replicas WHERE did_id = ? AND rse_id = ? "
                                            "RETURNING 1"));
  q->Bind(1, row.id).Bind(2, rse_id);
  GANTRY_ASSIGN_OR_RETURN(bool deleted, q->Step());
  q->Reset();
  if (!deleted) return Fail(NotFound(did.ToString() + " has no replica on " + rse));
  return {};
}

Result<std::vector<FileReplicas>> Catalog::ListReplicas(const model::Identity& who,
                                                        const Did& did,
                                                        std::optional<ReplicaState> state) {
  std::lock_guard lock(mu_);
  GANTRY_RETURN_IF_ERROR(Authorise(who, did, StorageOp::kRead, Right::kRead));
  GANTRY_ASSIGN_OR_RETURN(DidRow top, LiveDid(did));
  std::vector<int64_t> files;
  if (top.type == DidType::kFile) {
    files.push_back(top.id);
  } else {
    GANTRY_ASSIGN_OR_RETURN(
        auto* q,
        db_->Sql("WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.child_id FROM "
                 "attachments a JOIN below b ON a.parent_id = b.id) SELECT d.id FROM dids d "
                 "JOIN below b ON d.id = b.id WHERE d.type = 0 ORDER BY d.scope, d.name"));
    q->Bind(1, top.id);
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool more, q->Step());
      if (!more) break;
      files.push_back(q->Int(0));
    }
  }
  std::map<int64_t, Rse> rses;  // loaded once each
  std::vector<FileReplicas> out;
  for (int64_t id : files) {
    FileReplicas fr;
    GANTRY_ASSIGN_OR_RETURN(fr.file, LoadDid(id));
    if (fr.file.did.scope != did.scope) {
      // A file of another scope inside the collection: that scope's ACL decides.
      if (!Authorise(who, fr.file.did, StorageOp::kRead, Right::kRead)) continue;
    }
    GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT rse_id, state, path, updated FROM replicas "
                                              "WHERE did_id = ?"));
    q->Bind(1, id);
    struct Row {
      int64_t rse_id;
      ReplicaState state;
      std::string path;
      TimeMicros updated;
    };
    std::vector<Row> rows;
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool more, q->Step());
      if (!more) break;
      rows.push_back({q->Int(0), static_cast<ReplicaState>(q->Int(1)),
                      q->IsNull(2) ? fr.file.did.scope + "/" + fr.file.did.name : q->Text(2),
                      q->Int(3)});
    }
    for (const Row& r : rows) {
      if (state && r.state != *state) continue;
      if (!rses.count(r.rse_id)) {
        GANTRY_ASSIGN_OR_RETURN(Rse rse, LoadRse(r.rse_id));
        rses.emplace(r.rse_id, std::move(rse));
      }
      const Rse& rse = rses.at(r.rse_id);
      ReplicaInfo info{rse.name, r.state, r.path, {}, r.updated};
      for (const auto& [scheme, prefix] : rse.protocols) info.pfns[scheme] = Pfn(prefix, r.path);
      fr.replicas.push_back(std::move(info));
    }
    std::sort(fr.replicas.begin(), fr.replicas.end(),
              [](const ReplicaInfo& a, const ReplicaInfo& b) { return a.rse < b.rse; });
    out.push_back(std::move(fr));
  }
  return out;
}

Result<std::vector<UsageRow>> Catalog::Usage(const model::Identity& who, UsageBy by) {
  std::lock_guard lock(mu_);
  const char* sql = nullptr;
  switch (by) {
    case UsageBy::kRse:
      sql = "SELECT s.name, '', COUNT(*), COALESCE(SUM(d.bytes), 0) FROM replicas r "
            "JOIN dids d ON d.id = r.did_id JOIN rses s ON s.id = r.rse_id WHERE r.state = 0 "
            "GROUP BY s.name ORDER BY s.name";
      break;
    case UsageBy::kUser:
      sql = "SELECT s.name, d.owner, COUNT(*), COALESCE(SUM(d.bytes), 0) FROM replicas r "
            "JOIN dids d ON d.id = r.did_id JOIN rses s ON s.id = r.rse_id WHERE r.state = 0 "
            "GROUP BY s.name, d.owner ORDER BY d.owner, s.name";
      break;
    case UsageBy::kVo:
      sql = "SELECT s.name, d.vo, COUNT(*), COALESCE(SUM(d.bytes), 0) FROM replicas r "
            "JOIN dids d ON d.id = r.did_id JOIN rses s ON s.id = r.rse_id WHERE r.state = 0 "
            "GROUP BY s.name, d.vo ORDER BY d.vo, s.name";
      break;
  }
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql));
  std::vector<UsageRow> out;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool more, q->Step());
    if (!more) break;
    UsageRow row{q->Text(0), q->Text(1), q->Int(2), q->Int(3)};
    if (!who.grants.admin) {
      if (by == UsageBy::kUser && row.account != who.Display()) continue;
      if (by == UsageBy::kVo && row.account != who.vo) continue;
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace gantry::catalog
