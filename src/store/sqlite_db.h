// Thin RAII wrappers over the SQLite C API that turn its errors into gantry::Error.
// A Db is thread-compatible: callers serialise access (SqliteStore holds a mutex per Db).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"

namespace gantry::store {

class Db;

class Statement {
 public:
  // A statement that `cache` (when given) takes back, reset, when this is destroyed.
  Statement(sqlite3* db, sqlite3_stmt* stmt, Db* cache = nullptr)
      : db_(db), stmt_(stmt), cache_(cache) {}
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), cache_(o.cache_) {
    o.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds are 1-based, as in SQLite.
  Statement& Bind(int index, int64_t v);
  Statement& Bind(int index, double v);
  Statement& Bind(int index, std::string_view v);
  Statement& BindNull(int index);
  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion and resets for reuse.
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Db* cache_;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only);
  ~Db();

  // Runs sql; a single statement (no ';') goes through Prepare's cache.
  Status Exec(std::string_view sql);
  // A statement for sql, ready to bind. Statements are kept by their SQL text once they are
  // done with (a destroyed Statement goes back to the cache, reset): a transaction of a few
  // inserts does not parse its SQL again, nor compile the tables' triggers. A statement
  // whose SQL is in use is prepared anew; at most kCachedStatements are kept.
  Result<Statement> Prepare(std::string_view sql);
  const std::string& path() const { return path_; }
  // Error for the last failed call, naming the database file.
  Error LastError(std::string_view what) const;

 private:
  friend class Statement;
  static constexpr size_t kCachedStatements = 128;
  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };

  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Takes a finished statement back (Statement's destructor), or finalises it.
  void Release(sqlite3_stmt* stmt);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> idle_;
};

Error SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace gantry::store
