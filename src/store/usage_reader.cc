#include "store/usage_reader.h"

#include <sqlite3.h>

#include <iterator>
#include <variant>
#include <vector>

#include "store/sqlite_db.h"

namespace gantry::store {
namespace {

using model::UsageColumn;

// The `usage` table's column of each UsageColumn, in UsageColumn's order.
constexpr std::string_view kColumnNames[] = {
    "attempt_id", "task_id",    "job_id",     "array_index", "attempt",    "user",
    "uid",        "grp",        "vo",         "account",     "partition",  "job_name",
    "agent",      "submit_time", "start_time", "end_time",   "cores",      "gpus",
    "user_cpu",   "system_cpu", "max_rss_kb", "state",       "exit_code",  "signal"};
static_assert(std::size(kColumnNames) == static_cast<size_t>(UsageColumn::kCount));

std::string_view View(sqlite3_stmt* s, int col) {
  const unsigned char* p = sqlite3_column_text(s, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, col))};
}

// Result column `col` into its member of r.
void ReadColumn(sqlite3_stmt* s, int col, UsageColumn c, model::UsageRecord& r) {
  switch (c) {
    case UsageColumn::kAttemptId: r.attempt_id = sqlite3_column_int64(s, col); break;
    case UsageColumn::kTaskId: r.task_id = sqlite3_column_int64(s, col); break;
    case UsageColumn::kJobId: r.job_id = sqlite3_column_int64(s, col); break;
    case UsageColumn::kArrayIndex: r.array_index = sqlite3_column_int64(s, col); break;
    case UsageColumn::kAttempt: r.attempt = sqlite3_column_int64(s, col); break;
    case UsageColumn::kUser: r.user = View(s, col); break;
    case UsageColumn::kUid: r.uid = sqlite3_column_int64(s, col); break;
    case UsageColumn::kGroup: r.group = View(s, col); break;
    case UsageColumn::kVo: r.vo = View(s, col); break;
    case UsageColumn::kAccount: r.account = View(s, col); break;
    case UsageColumn::kPartition: r.partition = View(s, col); break;
    case UsageColumn::kJobName: r.job_name = View(s, col); break;
    case UsageColumn::kAgent: r.agent = View(s, col); break;
    case UsageColumn::kSubmitTime: r.submit_time = sqlite3_column_int64(s, col); break;
    case UsageColumn::kStartTime: r.start_time = sqlite3_column_int64(s, col); break;
    case UsageColumn::kEndTime: r.end_time = sqlite3_column_int64(s, col); break;
    case UsageColumn::kCores: r.cores = sqlite3_column_int64(s, col); break;
    case UsageColumn::kGpus: r.gpus = sqlite3_column_int64(s, col); break;
    case UsageColumn::kUserCpu: r.user_cpu_seconds = sqlite3_column_double(s, col); break;
    case UsageColumn::kSystemCpu: r.system_cpu_seconds = sqlite3_column_double(s, col); break;
    case UsageColumn::kMaxRss: r.max_rss_kb = sqlite3_column_int64(s, col); break;
    case UsageColumn::kState: r.state = View(s, col); break;
    case UsageColumn::kExitCode:
      r.exit_code = static_cast<int>(sqlite3_column_int64(s, col));
      break;
    case UsageColumn::kSignal:
      r.signal = static_cast<int>(sqlite3_column_int64(s, col));
      break;
    case UsageColumn::kCount: break;
  }
}

// A read-only connection and one statement, closed on scope exit.
class Connection {
 public:
  ~Connection() {
    if (stmt_) sqlite3_finalize(stmt_);
    if (db_) sqlite3_close(db_);
  }
  Status Open(const std::string& path) {
    int rc =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "cannot open database " + path));
    sqlite3_busy_timeout(db_, 2000);
    return {};
  }
  Status Prepare(const std::string& sql) {
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "accounting query"));
    return {};
  }
  sqlite3* db() const { return db_; }
  sqlite3_stmt* stmt() const { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// SQL text with its parameters, bound in order.
struct Query {
  std::string sql;
  std::vector<std::variant<int64_t, std::string>> params;

  void In(std::string_view column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += " AND " + std::string(column) + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      params.emplace_back(values[i]);
    }
    sql += ")";
  }
  void Bind(sqlite3_stmt* s) const {
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(s, index, *v);
      } else {
        const std::string& text = std::get<std::string>(params[i]);
        sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
      }
    }
  }
};

}  // namespace

Result<std::unique_ptr<UsageReader>> UsageReader::Open(std::string path) {
  Connection c;
  GANTRY_RETURN_IF_ERROR(c.Open(path));
  GANTRY_RETURN_IF_ERROR(c.Prepare("SELECT max_elapsed FROM usage_meta"));
  return std::unique_ptr<UsageReader>(new UsageReader(std::move(path)));
}

Status UsageReader::Scan(const model::UsageFilter& f,
                         const std::function<bool(const model::UsageRecord&)>& on_record) const {
  Connection c;
  GANTRY_RETURN_IF_ERROR(c.Open(path_));
  // One read transaction: the bound and the rows come from the same snapshot.
  if (sqlite3_exec(c.db(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail(SqliteError(c.db(), sqlite3_errcode(c.db()), "accounting query"));
  }
  int64_t max_elapsed = 0;
  {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(c.db(), "SELECT max_elapsed FROM usage_meta", -1, &s, nullptr) ==
        SQLITE_OK) {
      if (sqlite3_step(s) == SQLITE_ROW) max_elapsed = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
  }
  // An attempt that ran at some moment of [start, end] ended in [start, end + max_elapsed]:
  // the index range is bounded on both sides.
  int64_t scan_end = f.end > INT64_MAX - max_elapsed ? INT64_MAX : f.end + max_elapsed;
  // Only the columns asked for: extracting a column is most of a row's cost (bench/acct).
  std::vector<UsageColumn> selected;
  Query q;
  q.sql = "SELECT ";
  for (int i = 0; i < static_cast<int>(UsageColumn::kCount); ++i) {
    auto c = static_cast<UsageColumn>(i);
    if (!f.columns.Has(c)) continue;
    q.sql += selected.empty() ? "" : ", ";
    q.sql += kColumnNames[i];
    selected.push_back(c);
  }
  if (selected.empty()) q.sql += "1";
  q.sql += " FROM usage";
  bool elapsed = f.columns.Has(UsageColumn::kStartTime) && f.columns.Has(UsageColumn::kEndTime);
  // The driving index: the clustered (user, end_time) key, else a VO's or an account's time
  // index, else job ids, else end time alone.
  if (f.users.empty()) {
    if (!f.job_ids.empty()) {
      q.sql += " INDEXED BY usage_job";
    } else if (!f.vos.empty()) {
      q.sql += " INDEXED BY usage_vo_time";
    } else if (!f.accounts.empty()) {
      q.sql += " INDEXED BY usage_account_time";
    } else {
      q.sql += " INDEXED BY usage_time";
    }
  }
  q.sql += " WHERE end_time >= ? AND end_time <= ? AND start_time <= ?";
  q.params = {f.start, scan_end, f.end};
  q.In("user", f.users);
  q.In("vo", f.vos);
  q.In("account", f.accounts);
  q.In("grp", f.groups);
  q.In("state", f.states);
  if (!f.job_ids.empty()) {
    q.sql += " AND job_id IN (";
    for (size_t i = 0; i < f.job_ids.size(); ++i) {
      q.sql += i ? ",?" : "?";
      q.params.emplace_back(f.job_ids[i]);
    }
    q.sql += ")";
  }
  if (!f.all_visible) {
    q.sql += " AND (uid = ?";
    q.params.emplace_back(f.visible_uid);
    if (!f.visible_vos.empty()) {
      q.sql += " OR vo IN (";
      for (size_t i = 0; i < f.visible_vos.size(); ++i) {
        q.sql += i ? ",?" : "?";
        q.params.emplace_back(f.visible_vos[i]);
      }
      q.sql += ")";
    }
    q.sql += ")";
  }
  q.sql +=
      f.users.empty() ? " ORDER BY end_time, attempt_id" : " ORDER BY user, end_time, attempt_id";
  GANTRY_RETURN_IF_ERROR(c.Prepare(q.sql));
  q.Bind(c.stmt());
  model::UsageRecord record;
  while (true) {
    int rc = sqlite3_step(c.stmt());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail(SqliteError(c.db(), rc, "accounting query"));
    for (size_t i = 0; i < selected.size(); ++i) {
      ReadColumn(c.stmt(), static_cast<int>(i), selected[i], record);
    }
    if (elapsed) {
      record.elapsed_seconds = record.end_time > record.start_time
                                   ? static_cast<double>(record.end_time - record.start_time) / 1e6
                                   : 0.0;
    }
    if (!on_record(record)) break;
  }
  return {};
}

Result<bool> UsageReader::AccountKnown(std::string_view account) const {
  Connection c;
  GANTRY_RETURN_IF_ERROR(c.Open(path_));
  GANTRY_RETURN_IF_ERROR(
      c.Prepare("SELECT 1 FROM usage INDEXED BY usage_account_time "
                "WHERE account = ? LIMIT 1"));
  sqlite3_bind_text(c.stmt(), 1, account.data(), static_cast<int>(account.size()),
                    SQLITE_TRANSIENT);
  int rc = sqlite3_step(c.stmt());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Fail(SqliteError(c.db(), rc, "accounting query"));
}

}  // namespace gantry::store
