#include "transfer/queue.h"

#include "store/cached_db.h"
#include "transfer/url.h"

namespace gantry::transfer {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS transfers(
  id INTEGER PRIMARY KEY, scope TEXT NOT NULL, name TEXT NOT NULL,
  source_rse TEXT NOT NULL, dest_rse TEXT NOT NULL, source_url TEXT NOT NULL,
  dest_url TEXT NOT NULL, bytes INTEGER NOT NULL, adler32 TEXT NOT NULL,
  priority INTEGER NOT NULL, max_attempts INTEGER NOT NULL, rule_id INTEGER NOT NULL,
  owner TEXT NOT NULL, vo TEXT NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL,
  not_before INTEGER NOT NULL, last_error TEXT NOT NULL, source_used TEXT NOT NULL,
  created INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS transfers_by_state ON transfers(state, priority DESC, id);
CREATE INDEX IF NOT EXISTS transfers_by_did ON transfers(scope, name, dest_rse);
CREATE TABLE IF NOT EXISTS transfer_events(
  transfer_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL,
  type TEXT NOT NULL, details TEXT NOT NULL, PRIMARY KEY(transfer_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rules(
  id INTEGER PRIMARY KEY, scope TEXT NOT NULL, name TEXT NOT NULL, copies INTEGER NOT NULL,
  expression TEXT NOT NULL, expires INTEGER NOT NULL, owner TEXT NOT NULL, vo TEXT NOT NULL,
  state TEXT NOT NULL, reason TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
)sql";

constexpr const char* kColumns =
    "id, scope, name, source_rse, dest_rse, source_url, dest_url, bytes, adler32, priority, "
    "max_attempts, rule_id, owner, vo, state, attempts, not_before, last_error, source_used, "
    "created, updated";

std::string HostOf(const std::string& url) {
  auto u = ParseUrl(url);
  if (!u) return "?";
  return u->scheme == "file" ? "local" : u->authority;
}

}  // namespace

std::string_view TransferStateName(TransferState state) {
  switch (state) {
    case TransferState::kQueued: return "queued";
    case TransferState::kActive: return "active";
    case TransferState::kDone: return "done";
    case TransferState::kFailed: return "failed";
    case TransferState::kCancelled: return "cancelled";
  }
  return "queued";
}

Result<TransferState> ParseTransferState(std::string_view text) {
  for (auto s : {TransferState::kQueued, TransferState::kActive, TransferState::kDone,
                 TransferState::kFailed, TransferState::kCancelled}) {
    if (TransferStateName(s) == text) return s;
  }
  return Fail(InvalidArgument("unknown transfer state '" + std::string(text) +
                              "' (queued, active, done, failed, cancelled)"));
}

std::string Transfer::Link() const {
  std::string from = !source_rse_used.empty()      ? source_rse_used
                     : !request.source_rse.empty() ? request.source_rse
                     : request.source_url.empty()  ? "any"
                                                   : HostOf(request.source_url);
  std::string to = !request.dest_rse.empty() ? request.dest_rse : HostOf(request.dest_url);
  return from + "->" + to;
}

TransferQueue::TransferQueue(std::unique_ptr<store::CachedDb> db, const Clock& clock)
    : clock_(clock), db_(std::move(db)) {}

TransferQueue::~TransferQueue() = default;

Result<std::unique_ptr<TransferQueue>> TransferQueue::Open(const std::string& path,
                                                           const Clock& clock) {
  GANTRY_ASSIGN_OR_RETURN(
      auto db, store::CachedDb::Open(path, "the transfer queue", kSchema, kSchemaVersion));
  return std::unique_ptr<TransferQueue>(new TransferQueue(std::move(db), clock));
}

Status TransferQueue::EventLocked(int64_t id, const std::string& type,
                                  const std::string& details) {
  GANTRY_ASSIGN_OR_RETURN(auto* q,
                          db_->Sql("INSERT INTO transfer_events(transfer_id, seq, time, "
                                   "type, details) SELECT ?1, COALESCE(MAX(seq), 0) + 1, "
                                   "?2, ?3, ?4 FROM transfer_events WHERE transfer_id = ?1"));
  q->Bind(1, id).Bind(2, clock_.Now()).Bind(3, type).Bind(4, details);
  return q->Run();
}

Status TransferQueue::AddEvent(int64_t id, const std::string& type, const std::string& details) {
  std::lock_guard lock(mu_);
  return EventLocked(id, type, details);
}

Result<int64_t> TransferQueue::Enqueue(const TransferRequest& r) {
  if (r.priority < 1 || r.priority > 5) {
    return Fail(InvalidArgument("a priority is 1 (lowest) to 5 (highest)"));
  }
  if (r.max_attempts < 1) return Fail(InvalidArgument("max attempts must be at least 1"));
  std::lock_guard lock(mu_);
  int64_t id = 0;
  GANTRY_RETURN_IF_ERROR(db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(
        auto* q, db_->Sql("INSERT INTO transfers(scope, name, source_rse, dest_rse, source_url, "
                          "dest_url, bytes, adler32, priority, max_attempts, rule_id, owner, vo, "
                          "state, attempts, not_before, last_error, source_used, created, updated) "
                          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, '', '', ?, ?) "
                          "RETURNING id"));
    TimeMicros now = clock_.Now();
    q->Bind(1, r.scope).Bind(2, r.name).Bind(3, r.source_rse).Bind(4, r.dest_rse);
    q->Bind(5, r.source_url).Bind(6, r.dest_url).Bind(7, r.bytes).Bind(8, r.adler32);
    q->Bind(9, static_cast<int64_t>(r.priority)).Bind(10, static_cast<int64_t>(r.max_attempts));
    q->Bind(11, r.rule_id).Bind(12, r.owner).Bind(13, r.vo).Bind(14, now).Bind(15, now);
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return Fail(Internal("the transfer was not stored"));
    id = q->Int(0);
    q->Reset();
    std::string what = r.scope.empty() ? r.source_url + " -> " + r.dest_url
                                        : r.scope + ":" + r.name + " -> " + r.dest_rse;
    return EventLocked(id, "queued", what + " (priority " + std::to_string(r.priority) + ")");
  }));
  return id;
}

Result<Transfer> TransferQueue::Load(store::Statement& s) {
  Transfer t;
  t.id = s.Int(0);
  TransferRequest& r = t.request;
  r.scope = s.Text(1);
  r.name = s.Text(2);
  r.source_rse = s.Text(3);
  r.dest_rse = s.Text(4);
  r.source_url = s.Text(5);
  r.dest_url = s.Text(6);
  r.bytes = s.Int(7);
  r.adler32 = s.Text(8);
  r.priority = static_cast<int>(s.Int(9));
  r.max_attempts = static_cast<int>(s.Int(10));
  r.rule_id = s.Int(11);
  r.owner = s.Text(12);
  r.vo = s.Text(13);
  t.state = static_cast<TransferState>(s.Int(14));
  t.attempts = static_cast<int>(s.Int(15));
  t.not_before = s.Int(16);
  t.last_error = s.Text(17);
  t.source_rse_used = s.Text(18);
  t.created = s.Int(19);
  t.updated = s.Int(20);
  return t;
}

Result<std::vector<Transfer>> TransferQueue::Recover() {
  std::lock_guard lock(mu_);
  std::vector<Transfer> lost;
  GANTRY_RETURN_IF_ERROR(db_->InTransaction([&]() -> Status {
    static const std::string sql = std::string("SELECT ") + kColumns +
                                   " FROM transfers WHERE state = 1";
    GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql.c_str()));
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      GANTRY_ASSIGN_OR_RETURN(Transfer t, Load(*q));
      lost.push_back(std::move(t));
    }
    for (const Transfer& t : lost) {
      GANTRY_ASSIGN_OR_RETURN(auto* u, db_->Sql("UPDATE transfers SET state = 0, updated = ? "
                                                "WHERE id = ?"));
      u->Bind(1, clock_.Now()).Bind(2, t.id);
      GANTRY_RETURN_IF_ERROR(u->Run());
      GANTRY_RETURN_IF_ERROR(EventLocked(
          t.id, "lost", "attempt " + std::to_string(t.attempts) +
                            " ended with the server; queued again (its partial file removed)"));
    }
    return {};
  }));
  return lost;
}

Result<std::optional<Transfer>> TransferQueue::ClaimNext(
    const std::function<bool(const Transfer&)>& may_start) {
  std::lock_guard lock(mu_);
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM transfers WHERE state = 0 AND not_before <= ? ORDER BY "
                                 "priority DESC, id LIMIT 500";
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql.c_str()));
  q->Bind(1, clock_.Now());
  std::optional<Transfer> chosen;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    GANTRY_ASSIGN_OR_RETURN(Transfer t, Load(*q));
    if (may_start(t)) {
      chosen = std::move(t);
      break;
    }
  }
  q->Reset();
  if (!chosen) return chosen;
  GANTRY_RETURN_IF_ERROR(db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(auto* u,
                            db_->Sql("UPDATE transfers SET state = 1, attempts = attempts + 1,"
                                     " updated = ? WHERE id = ? AND state = 0"));
    u->Bind(1, clock_.Now()).Bind(2, chosen->id);
    return u->Run();
  }));
  chosen->state = TransferState::kActive;
  chosen->attempts += 1;
  return chosen;
}

Status TransferQueue::SetEnds(int64_t id, const std::string& source_rse,
                              const std::string& source_url, const std::string& dest_url) {
  std::lock_guard lock(mu_);
  return db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(auto* u,
                            db_->Sql("UPDATE transfers SET source_used = ?, source_url = ?, "
                                     "dest_url = ?, updated = ? WHERE id = ?"));
    u->Bind(1, source_rse).Bind(2, source_url).Bind(3, dest_url).Bind(4, clock_.Now()).Bind(5, id);
    GANTRY_RETURN_IF_ERROR(u->Run());
    GANTRY_ASSIGN_OR_RETURN(auto* a, db_->Sql("SELECT attempts FROM transfers WHERE id = ?"));
    a->Bind(1, id);
    GANTRY_ASSIGN_OR_RETURN(bool row, a->Step());
    int64_t attempt = row ? a->Int(0) : 0;
    a->Reset();
    return EventLocked(id, "started",
                       "attempt " + std::to_string(attempt) + " from " +
                           (source_rse.empty() ? source_url : source_rse + " (" + source_url + ")") +
                           " to " + dest_url);
  });
}

Status TransferQueue::SetState(int64_t id, TransferState state, TimeMicros not_before,
                               const std::string& error, const std::string& event,
                               const std::string& details) {
  std::lock_guard lock(mu_);
  return db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(auto* u, db_->Sql("UPDATE transfers SET state = ?, not_before = ?, "
                                              "last_error = ?, updated = ? WHERE id = ?"));
    u->Bind(1, static_cast<int64_t>(state)).Bind(2, not_before).Bind(3, error);
    u->Bind(4, clock_.Now()).Bind(5, id);
    GANTRY_RETURN_IF_ERROR(u->Run());
    return EventLocked(id, event, details);
  });
}

Status TransferQueue::Done(int64_t id, const std::string& details) {
  return SetState(id, TransferState::kDone, 0, "", "done", details);
}

Status TransferQueue::Retry(int64_t id, TimeMicros not_before, const std::string& error) {
  return SetState(id, TransferState::kQueued, not_before, error, "retry",
                  error + " (recoverable; next attempt in " +
                      std::to_string((not_before - clock_.Now()) / kMicrosPerSecond) + " s)");
}

Status TransferQueue::MarkFailed(int64_t id, const std::string& error) {
  return SetState(id, TransferState::kFailed, 0, error, "failed", error);
}

Status TransferQueue::Cancel(int64_t id) {
  GANTRY_ASSIGN_OR_RETURN(Transfer t, Get(id));
  if (t.state == TransferState::kDone || t.state == TransferState::kFailed ||
      t.state == TransferState::kCancelled) {
    return Fail(FailedPrecondition("transfer " + std::to_string(id) + " has ended (" +
                                           std::string(TransferStateName(t.state)) + ")"));
  }
  return SetState(id, TransferState::kCancelled, 0, "cancelled", "cancelled", "by request");
}

Result<Transfer> TransferQueue::Get(int64_t id) {
  std::lock_guard lock(mu_);
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM transfers WHERE id = ?";
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql.c_str()));
  q->Bind(1, id);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Fail(NotFound("there is no transfer " + std::to_string(id)));
  GANTRY_ASSIGN_OR_RETURN(Transfer t, Load(*q));
  q->Reset();
  return t;
}

Result<std::vector<Transfer>> TransferQueue::List(const std::vector<TransferState>& states,
                                                  int64_t limit) {
  std::lock_guard lock(mu_);
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM transfers ORDER BY id DESC";
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql.c_str()));
  std::vector<Transfer> out;
  while (static_cast<int64_t>(out.size()) < limit) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    GANTRY_ASSIGN_OR_RETURN(Transfer t, Load(*q));
    if (!states.empty() && std::find(states.begin(), states.end(), t.state) == states.end()) {
      continue;
    }
    out.push_back(std::move(t));
  }
  q->Reset();
  return out;
}

Result<std::vector<TransferEvent>> TransferQueue::Events(int64_t id) {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT seq, time, type, details FROM transfer_events "
                                            "WHERE transfer_id = ? ORDER BY seq"));
  q->Bind(1, id);
  std::vector<TransferEvent> out;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back({id, q->Int(0), q->Int(1), q->Text(2), q->Text(3)});
  }
  return out;
}

Result<std::optional<Transfer>> TransferQueue::Latest(const std::string& scope,
                                                      const std::string& name,
                                                      const std::string& dest_rse) {
  std::lock_guard lock(mu_);
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM transfers WHERE scope = ? AND name = ? AND dest_rse = ? "
                                 "ORDER BY id DESC LIMIT 1";
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql(sql.c_str()));
  q->Bind(1, scope).Bind(2, name).Bind(3, dest_rse);
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  std::optional<Transfer> out;
  if (row) {
    GANTRY_ASSIGN_OR_RETURN(Transfer t, Load(*q));
    out = std::move(t);
  }
  q->Reset();
  return out;
}

Result<int64_t> TransferQueue::CountQueued() {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT COUNT(*) FROM transfers WHERE state = 0"));
  GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
  int64_t n = row ? q->Int(0) : 0;
  q->Reset();
  return n;
}

Result<int64_t> TransferQueue::AddRule(const Rule& r) {
  std::lock_guard lock(mu_);
  int64_t id = 0;
  GANTRY_RETURN_IF_ERROR(db_->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(auto* q,
                            db_->Sql("INSERT INTO rules(scope, name, copies, expression, "
                                     "expires, owner, vo, state, reason, created, updated) "
                                     "VALUES(?, ?, ?, ?, ?, ?, ?, 'replicating', '', ?, ?) "
                                     "RETURNING id"));
    TimeMicros now = clock_.Now();
    q->Bind(1, r.scope).Bind(2, r.name).Bind(3, static_cast<int64_t>(r.copies));
    q->Bind(4, r.expression).Bind(5, r.expires).Bind(6, r.owner).Bind(7, r.vo);
    q->Bind(8, now).Bind(9, now);
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return Fail(Internal("the rule was not stored"));
    id = q->Int(0);
    q->Reset();
    return {};
  }));
  return id;
}

Result<std::vector<Rule>> TransferQueue::ListRules() {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("SELECT id, scope, name, copies, expression, expires, "
                                            "owner, vo, state, reason, created, updated FROM rules "
                                            "ORDER BY id"));
  std::vector<Rule> out;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back({q->Int(0), q->Text(1), q->Text(2), static_cast<int>(q->Int(3)), q->Text(4),
                   q->Int(5), q->Text(6), q->Text(7), q->Text(8), q->Text(9), q->Int(10),
                   q->Int(11)});
  }
  return out;
}

Result<Rule> TransferQueue::GetRule(int64_t id) {
  GANTRY_ASSIGN_OR_RETURN(auto rules, ListRules());
  for (auto& r : rules) {
    if (r.id == id) return r;
  }
  return Fail(NotFound("there is no rule " + std::to_string(id)));
}

Status TransferQueue::SetRuleState(int64_t id, const std::string& state,
                                   const std::string& reason) {
  std::lock_guard lock(mu_);
  GANTRY_ASSIGN_OR_RETURN(auto* q, db_->Sql("UPDATE rules SET state = ?, reason = ?, updated = ? "
                                            "WHERE id = ? AND (state != ? OR reason != ?)"));
  q->Bind(1, state).Bind(2, reason).Bind(3, clock_.Now()).Bind(4, id).Bind(5, state).Bind(6, reason);
  return q->Run();
}

}  // namespace gantry::transfer
