// CachedDb: the SQLite connection of a service that owns its own file (the catalog's
// data.db, the transfer queue's transfers.db): opened in WAL mode at a schema version, with
// its prepared statements kept by their SQL text and a transaction wrapper.
// Thread-compatible: the owner serialises every call (the catalog and the queue each hold a
// mutex over theirs).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "store/sqlite_db.h"

namespace gantry::store {

class CachedDb {
 public:
  // Opens path in WAL mode and applies schema (idempotent DDL) and `PRAGMA user_version =
  // version` in one transaction. A file of a newer version is refused, naming what it is
  // ("the catalog").
  static Result<std::unique_ptr<CachedDb>> Open(const std::string& path, std::string_view what,
                                                std::string_view schema, int version);

  // The statement for text, prepared at its first use, reset and ready to bind; it stays
  // valid while this CachedDb lives.
  Result<Statement*> Sql(std::string_view text);
  // BEGIN IMMEDIATE, body, COMMIT; ROLLBACK when the body or the COMMIT fails.
  Status InTransaction(const std::function<Status()>& body);
  Status Exec(std::string_view sql) { return db_->Exec(sql); }
  const std::string& path() const { return db_->path(); }

 private:
  explicit CachedDb(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  std::unique_ptr<Db> db_;
  // Declared after db_: the statements are finalised before the connection closes.
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
};

}  // namespace gantry::store
