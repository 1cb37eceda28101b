#include "store/sqlite_db.h"

#include <errno.h>

#include <cstring>

namespace gantry::store {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_FULL: return ResourceExhausted(msg + " (is the disk full?)");
    case SQLITE_IOERR: {
      // A full disk met while writing the WAL or syncing comes back as an I/O error.
      int err = db ? sqlite3_system_errno(db) : 0;
      if (err == ENOSPC || err == EDQUOT) {
        return ResourceExhausted(msg + " (" + strerror(err) + ": is the disk full?)");
      }
      return Unavailable(msg + (err ? std::string(" (") + strerror(err) + ")" : std::string()));
    }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(msg + " (another process holds the database lock)");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      // Not the request's fault: the server cannot serve until the file is restored.
      return Unavailable(msg + " (the database file is damaged; stop the server and restore "
                               "it from a backup)");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY: return PermissionDenied(msg);
    case SQLITE_CONSTRAINT: return AlreadyExists(msg);
    default: return Internal(msg);
  }
}

Statement::~Statement() {
  if (!stmt_) return;
  if (cache_) {
    cache_->Release(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::Bind(int index, int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}
Statement& Statement::Bind(int index, double v) {
  sqlite3_bind_double(stmt_, index, v);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = SqliteError(db_, rc, "database statement failed");
  sqlite3_reset(stmt_);
  return Fail(e);
}

Status Statement::Run() {
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) break;
  }
  Reset();
  return {};
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, "cannot open database " + path);
    sqlite3_close(db);
    return Fail(e);
  }
  sqlite3_extended_result_codes(db, 1);
  // Wait a little for a lock held by another process before reporting it.
  sqlite3_busy_timeout(db, 2000);
  return std::unique_ptr<Db>(new Db(db, path));
}

Db::~Db() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Db::Release(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (idle_.size() >= kCachedStatements || !idle_.emplace(sqlite3_sql(stmt), stmt).second) {
    sqlite3_finalize(stmt);
  }
}

Status Db::Exec(std::string_view sql) {
  if (sql.find(';') == std::string_view::npos &&
      sql.find_first_not_of(" \t\n") != std::string_view::npos) {
    GANTRY_ASSIGN_OR_RETURN(Statement s, Prepare(sql));
    return s.Run();
  }
  char* err = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "database " + path_));
  return {};
}

Result<Statement> Db::Prepare(std::string_view sql) {
  if (auto it = idle_.find(sql); it != idle_.end()) {
    sqlite3_stmt* stmt = it->second;
    idle_.erase(it);
    return Statement(db_, stmt, this);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "database " + path_));
  if (!stmt) return Fail(InvalidArgument("database " + path_ + ": no statement in '" +
                                         std::string(sql) + "'"));
  return Statement(db_, stmt, this);
}

Error Db::LastError(std::string_view what) const {
  return SqliteError(db_, sqlite3_errcode(db_), std::string(what) + " (" + path_ + ")");
}

}  // namespace gantry::store
