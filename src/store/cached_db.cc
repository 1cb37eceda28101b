#include "store/cached_db.h"

namespace gantry::store {

Result<std::unique_ptr<CachedDb>> CachedDb::Open(const std::string& path, std::string_view what,
                                                 std::string_view schema, int version) {
  GANTRY_ASSIGN_OR_RETURN(auto db, Db::Open(path, /*read_only=*/false));
  GANTRY_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  std::unique_ptr<CachedDb> cached(new CachedDb(std::move(db)));
  {
    GANTRY_ASSIGN_OR_RETURN(Statement current, cached->db_->Prepare("PRAGMA user_version"));
    GANTRY_ASSIGN_OR_RETURN(bool row, current.Step());
    int64_t have = row ? current.Int(0) : 0;
    if (have > version) {
      return Fail(FailedPrecondition(std::string(what) + " " + path + " has schema version " +
                                     std::to_string(have) + ", newer than this gantry's " +
                                     std::to_string(version)));
    }
  }
  GANTRY_RETURN_IF_ERROR(cached->InTransaction([&]() -> Status {
    GANTRY_RETURN_IF_ERROR(cached->db_->Exec(schema));
    return cached->db_->Exec("PRAGMA user_version=" + std::to_string(version));
  }));
  return cached;
}

Result<Statement*> CachedDb::Sql(std::string_view text) {
  auto it = statements_.find(text);
  if (it == statements_.end()) {
    GANTRY_ASSIGN_OR_RETURN(Statement s, db_->Prepare(text));
    it = statements_.emplace(std::string(text), std::make_unique<Statement>(std::move(s))).first;
  }
  it->second->Reset();
  return it->second.get();
}

Status CachedDb::InTransaction(const std::function<Status()>& body) {
  GANTRY_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (s) s = db_->Exec("COMMIT");
  if (!s) (void)db_->Exec("ROLLBACK");
  return s;
}

}  // namespace gantry::store
