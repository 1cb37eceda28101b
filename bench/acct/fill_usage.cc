// fill_usage DB RECORDS [OTHERS]: a scratch store for bench/acct/run.sh. Creates the schema
// (OpenSqliteStore) and inserts RECORDS synthetic accounting records of user alice spread
// over November 2026 (UTC), plus OTHERS of bob and carol over the same month, straight into
// the `usage` table in one transaction. Not a test; run by hand.
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/store.h"

namespace {

constexpr int64_t kMonthStart = 1793491200LL * 1'000'000;  // 2026-11-01T00:00:00Z
constexpr int64_t kMonth = 30LL * 86400 * 1'000'000;

int Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "fill_usage: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fill_usage DB RECORDS [OTHERS]\n");
    return 2;
  }
  std::string path = argv[1];
  int64_t records = std::atoll(argv[2]);
  int64_t others = argc > 3 ? std::atoll(argv[3]) : records / 10;
  {
    auto store = gantry::store::OpenSqliteStore(path, gantry::store::Durability::kNormal);
    if (!store) {
      std::fprintf(stderr, "fill_usage: %s\n", store.error().message().c_str());
      return 1;
    }
  }
  sqlite3* db = nullptr;
  Check(db, sqlite3_open(path.c_str(), &db), "open");
  Check(db, sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", nullptr, nullptr, nullptr),
        "begin");
  sqlite3_stmt* s = nullptr;
  Check(db,
        sqlite3_prepare_v2(db,
                           "INSERT INTO usage VALUES(?1, ?2, ?3, ?4, ?5, ?5, -1, 1, ?6, "
                           "'/cms/prod', 'cms', ?7, 'batch', ?8, ?9, ?10, ?11, ?12, ?13, "
                           "?14, ?15, ?16, ?17, 0)",
                           -1, &s, nullptr),
        "prepare");
  int64_t attempt = 0;
  auto insert = [&](const char* user, int64_t uid, int64_t count) {
    for (int64_t i = 0; i < count; ++i) {
      ++attempt;
      int64_t end = kMonthStart + (kMonth / count) * i + 1'000'000;
      int64_t elapsed = (60 + attempt % 3600) * 1'000'000;
      int64_t cores = 1 + attempt % 8;
      std::string name = "sim-" + std::to_string(attempt % 1000);
      std::string account = attempt % 3 ? "physics" : "/cms/prod";
      std::string node = "node" + std::to_string(attempt % 64);
      sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
      sqlite3_bind_int64(s, 2, end);
      sqlite3_bind_int64(s, 3, attempt);
      sqlite3_bind_int64(s, 4, uid);
      sqlite3_bind_int64(s, 5, attempt);
      sqlite3_bind_text(s, 6, name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 7, account.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 8, node.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 9, end - elapsed - 30'000'000);
      sqlite3_bind_int64(s, 10, end - elapsed);
      sqlite3_bind_int64(s, 11, cores);
      sqlite3_bind_int64(s, 12, attempt % 50 == 0 ? 1 : 0);
      sqlite3_bind_double(s, 13, static_cast<double>(elapsed) / 1e6 * 0.9);
      sqlite3_bind_double(s, 14, 0.5);
      sqlite3_bind_int64(s, 15, 1024 * (1 + attempt % 4096));
      sqlite3_bind_text(s, 16, attempt % 20 ? "COMPLETED" : "FAILED", -1, SQLITE_STATIC);
      sqlite3_bind_int64(s, 17, attempt % 20 ? 0 : 1);
      Check(db, sqlite3_step(s), "insert");
      sqlite3_reset(s);
    }
  };
  insert("alice", 1000, records);
  insert("bob", 1001, others / 2);
  insert("carol", 1002, others - others / 2);
  sqlite3_finalize(s);
  Check(db,
        sqlite3_exec(db,
                     "UPDATE usage_meta SET max_elapsed = (SELECT MAX(end_time - "
                     "start_time) FROM usage); COMMIT; ANALYZE",
                     nullptr, nullptr, nullptr),
        "commit");
  sqlite3_close(db);
  std::printf("filled %lld records of alice and %lld of others\n", static_cast<long long>(records),
              static_cast<long long>(others));
  return 0;
}
