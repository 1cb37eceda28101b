#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/strings.h"
#include "model/job_spec_json.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace gantry::store {
namespace {

using model::Attempt;
using model::Event;
using model::Job;
using model::Task;

constexpr std::string_view kTaskColumns =
    "id, job_id, array_index, owner_uid, state, reason, attempts, deep_retries, event_seq, "
    "current_attempt, cancel_requested, start_time, end_time, exit_code, signal";
constexpr std::string_view kAttemptColumns =
    "id, task_id, number, agent, state, scheduled_time, start_time, end_time, exit_code, signal, "
    "user_cpu, system_cpu, wall, max_rss_kb, reason, stdout_path, stderr_path";

// A string literal for SQL: 'it''s'.
std::string SqlQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c != '\0') out += c;
  }
  return out + "'";
}

// kTaskColumns as "t.id, t.job_id, ...", for queries that join jobs.
std::string QualifiedTaskColumns() {
  std::string out;
  for (const std::string& c : Split(kTaskColumns, ',')) {
    out += (out.empty() ? "t." : ", t.") + std::string(Trim(c));
  }
  return out;
}

Task ReadTask(const Statement& s) {
  Task t;
  t.id = s.Int(0);
  t.job_id = s.Int(1);
  if (!s.IsNull(2)) t.array_index = s.Int(2);
  t.owner_uid = static_cast<uint32_t>(s.Int(3));
  t.state = model::ParseState(s.Text(4)).value_or(model::TaskState::kFailed);
  t.reason = s.Text(5);
  t.attempts = s.Int(6);
  t.deep_retries = s.Int(7);
  t.event_seq = s.Int(8);
  t.current_attempt = s.Int(9);
  t.cancel_requested = s.Int(10) != 0;
  t.start_time = s.Int(11);
  t.end_time = s.Int(12);
  t.exit_code = static_cast<int>(s.Int(13));
  t.signal = static_cast<int>(s.Int(14));
  return t;
}

model::AttemptState ParseAttemptState(const std::string& s) {
  if (s == "SCHEDULED") return model::AttemptState::kScheduled;
  if (s == "RUNNING") return model::AttemptState::kRunning;
  return model::AttemptState::kEnded;
}

Attempt ReadAttempt(const Statement& s) {
  Attempt a;
  a.id = s.Int(0);
  a.task_id = s.Int(1);
  a.number = s.Int(2);
  a.agent = s.Text(3);
  a.state = ParseAttemptState(s.Text(4));
  a.scheduled_time = s.Int(5);
  a.start_time = s.Int(6);
  a.end_time = s.Int(7);
  a.exit_code = static_cast<int>(s.Int(8));
  a.signal = static_cast<int>(s.Int(9));
  a.usage.user_cpu_seconds = s.Real(10);
  a.usage.system_cpu_seconds = s.Real(11);
  a.usage.wall_seconds = s.Real(12);
  a.usage.max_rss_kb = s.Int(13);
  a.reason = s.Text(14);
  a.stdout_path = s.Text(15);
  a.stderr_path = s.Text(16);
  return a;
}

Event ReadEvent(const Statement& s) {
  Event e;
  e.task_id = s.Int(0);
  e.seq = s.Int(1);
  e.time = s.Int(2);
  e.source = s.Text(3);
  e.type = s.Text(4);
  e.state = model::ParseState(s.Text(5)).value_or(model::TaskState::kSubmitted);
  e.reason = s.Text(6);
  e.subject = s.Text(7);
  e.issuer = s.Text(8);
  e.vo = s.Text(9);
  return e;
}

constexpr std::string_view kJobColumns =
    "id, owner_uid, owner_gid, owner_name, submit_time, spec, vo, grp";
constexpr std::string_view kEventColumns =
    "seq, time, source, type, state, reason, subject, issuer, vo";

constexpr std::string_view kTailColumns =
    "job_id, owner_uid, count, next, state, reason, end_time";

model::ArrayTail ReadTail(const Statement& s) {
  model::ArrayTail t;
  t.job_id = s.Int(0);
  t.owner_uid = static_cast<uint32_t>(s.Int(1));
  t.count = s.Int(2);
  t.next = s.Int(3);
  t.state = model::ParseState(s.Text(4)).value_or(model::TaskState::kFailed);
  t.reason = s.Text(5);
  t.end_time = s.Int(6);
  return t;
}

Result<Job> ReadJob(const Statement& s) {
  Job j;
  j.id = s.Int(0);
  j.owner.uid = static_cast<uint32_t>(s.Int(1));
  j.owner.gid = static_cast<uint32_t>(s.Int(2));
  j.owner.name = s.Text(3);
  j.submit_time = s.Int(4);
  j.vo = s.Text(6);
  j.group = s.Text(7);
  auto json = nlohmann::json::parse(s.Text(5), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Fail(Internal("job " + std::to_string(j.id) + ": stored spec is not JSON"));
  GANTRY_ASSIGN_OR_RETURN(j.spec, model::JobSpecFromJson(json));
  return j;
}

// SQLite with one writer connection and one reader connection (WAL lets reads run beside
// writes). Thread-safe: each connection has its own mutex; lock order writer -> reader is
// never needed because no method holds both.
class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> writer, std::unique_ptr<Db> reader)
      : writer_(std::move(writer)), reader_(std::move(reader)) {}

  Status Commit(const Batch& batch) override { return CommitAll({&batch}); }

  // One transaction, one fsync, for the whole group (store/group_commit.h).
  Status CommitAll(const std::vector<const Batch*>& batches) override {
    if (std::all_of(batches.begin(), batches.end(), [](const Batch* b) { return b->empty(); })) {
      return {};
    }
    std::lock_guard lock(writer_mu_);
    GANTRY_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    Status s = WriteBatches(batches);
    if (s) s = writer_->Exec("COMMIT");
    if (!s) {
      (void)writer_->Exec("ROLLBACK");
      return s;
    }
    return {};
  }

  Result<ActiveState> LoadActive() override {
    std::lock_guard lock(reader_mu_);
    ActiveState state;
    {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT " + std::string(kTaskColumns) + " FROM tasks WHERE finished = 0 ORDER BY id"));
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        state.tasks.push_back(ReadTask(s));
      }
    }
    {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT " + std::string(kTailColumns) + " FROM array_tails WHERE finished = 0 "
          "ORDER BY job_id"));
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        state.tails.push_back(ReadTail(s));
      }
      for (model::ArrayTail& t : state.tails) GANTRY_RETURN_IF_ERROR(CompleteTailLocked(t));
    }
    {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id IN "
          "(SELECT DISTINCT job_id FROM tasks WHERE finished = 0 UNION "
          "SELECT job_id FROM array_tails WHERE finished = 0) ORDER BY id"));
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        GANTRY_ASSIGN_OR_RETURN(Job j, ReadJob(s));
        state.jobs.push_back(std::move(j));
      }
    }
    {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT " + std::string(kAttemptColumns) + " FROM attempts WHERE state != 'ENDED'"));
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        state.attempts.push_back(ReadAttempt(s));
      }
    }
    GANTRY_ASSIGN_OR_RETURN(state.max_id, ScalarLocked(
        "SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM tasks), "
        "(SELECT COALESCE(MAX(job_id + count - 1), 0) FROM array_tails))"));
    {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT name, reason, source, time FROM agent_drains ORDER BY name"));
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        state.agent_drains.push_back({s.Text(0), true, s.Text(1), s.Text(2), s.Int(3)});
      }
    }
    GANTRY_ASSIGN_OR_RETURN(state.max_attempt_id,
                            ScalarLocked("SELECT COALESCE(MAX(id), 0) FROM attempts"));
    return state;
  }

  Result<std::optional<Job>> GetJob(int64_t job_id) override {
    std::lock_guard lock(reader_mu_);
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = ?"));
    s.Bind(1, job_id);
    GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<Job>();
    GANTRY_ASSIGN_OR_RETURN(Job j, ReadJob(s));
    return std::optional<Job>(std::move(j));
  }

  Result<std::optional<Task>> GetTask(int64_t task_id) override {
    GANTRY_ASSIGN_OR_RETURN(auto tasks,
                            QueryTasks("WHERE id = ?", [&](Statement& s) { s.Bind(1, task_id); }));
    if (tasks.empty()) return std::optional<Task>();
    return std::optional<Task>(tasks[0]);
  }

  Result<std::vector<Task>> GetTasksOfJob(int64_t job_id) override {
    return QueryTasks("WHERE job_id = ? ORDER BY id", [&](Statement& s) { s.Bind(1, job_id); });
  }

  Result<std::vector<Task>> ListTasks(const TaskFilter& f) override {
    std::string where = "WHERE 1";
    if (!f.include_finished) where += " AND finished = 0";
    if (f.owner_uid) where += " AND owner_uid = ?1";
    if (f.job_id) where += " AND job_id = ?2";
    where += " ORDER BY id LIMIT ?3";
    return QueryTasks(where, [&](Statement& s) {
      if (f.owner_uid) s.Bind(1, static_cast<int64_t>(*f.owner_uid));
      if (f.job_id) s.Bind(2, *f.job_id);
      s.Bind(3, f.limit);
    });
  }

  Result<std::vector<Task>> ListHistory(const HistoryQuery& q) override {
    std::vector<std::string> states;
    for (model::TaskState s : {model::TaskState::kDone, model::TaskState::kFailed,
                               model::TaskState::kCancelled}) {
      if (q.states.empty() || std::find(q.states.begin(), q.states.end(), s) != q.states.end()) {
        states.push_back("'" + std::string(model::StateName(s)) + "'");
      }
    }
    if (states.empty() || q.limit <= 0) return std::vector<Task>();
    std::lock_guard lock(reader_mu_);
    std::vector<std::string> uids;
    if (q.owner_uid) {
      uids.push_back(std::to_string(*q.owner_uid));
    } else if (q.owner_name && q.jobs.empty() && !q.name) {
      GANTRY_ASSIGN_OR_RETURN(std::vector<int64_t> found, UidsOfLocked(*q.owner_name));
      if (found.empty()) return std::vector<Task>();
      for (int64_t u : found) uids.push_back(std::to_string(u));
    }
    auto list = [](const std::vector<std::string>& items) {
      std::string out;
      for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
      return out;
    };
    // Filters every driver shares: ?1 the cursor, ?2 the limit, ?3 owner name, ?4 job name.
    std::string common = " AND t.finished = 1 AND t.id < ?1";
    if (q.owner_uid) common += " AND t.owner_uid = " + uids[0];
    if (states.size() < 3) common += " AND t.state IN (" + list(states) + ")";
    if (q.owner_name) {
      common += " AND EXISTS(SELECT 1 FROM jobs o WHERE o.id = t.job_id AND o.owner_name = ?3)";
    }
    if (q.name) {
      common += " AND EXISTS(SELECT 1 FROM jobs o WHERE o.id = t.job_id AND o.name = ?4)";
    }
    std::vector<std::string> vos;
    for (const std::string& vo : q.vos) vos.push_back(SqlQuote(vo));
    if (!vos.empty()) {
      common += " AND EXISTS(SELECT 1 FROM jobs o WHERE o.id = t.job_id AND o.vo IN (" +
                list(vos) + "))";
    }
    // Drivers: each reads an index range in id order and stops after `limit`; they are
    // merged below. (An IN list on an index's leading column would make SQLite sort every
    // match.) Job ids name their rows; else a job name drives (jobs newest first, then their
    // tasks: a job's tasks have consecutive ids above every earlier job's), else the owner,
    // else the state.
    std::vector<std::string> drivers;
    const std::string order = " ORDER BY t.id DESC";
    if (!q.jobs.empty()) {
      for (const model::JobSelector& sel : q.jobs) {
        std::string id = std::to_string(sel.id);
        std::string ranges;
        for (const auto& [first, last] : sel.indexes) {
          ranges += std::string(ranges.empty() ? "" : " OR ") + "t.array_index BETWEEN " +
                    std::to_string(first) + " AND " + std::to_string(last);
        }
        std::string by_job = "tasks t INDEXED BY tasks_job WHERE t.job_id = " + id;
        if (sel.HasIndexes()) {
          drivers.push_back(by_job + " AND (" + ranges + ")" + common + order);
        } else {
          drivers.push_back(by_job + common + order);
          drivers.push_back("tasks t WHERE t.id = " + id + common);  // a task's own id
        }
      }
    } else if (q.name) {
      drivers.push_back(
          "jobs j INDEXED BY jobs_name CROSS JOIN tasks t INDEXED BY tasks_job "
          "WHERE j.name = ?4 AND j.id < ?1 AND t.job_id = j.id" + common +
          " ORDER BY j.id DESC, t.id DESC");
    } else if (!vos.empty()) {
      // A VO's jobs newest first (jobs_vo), then their tasks, as for a job name.
      for (const std::string& vo : vos) {
        drivers.push_back(
            "jobs j INDEXED BY jobs_vo CROSS JOIN tasks t INDEXED BY tasks_job "
            "WHERE j.vo = " + vo + " AND j.id < ?1 AND t.job_id = j.id" + common +
            " ORDER BY j.id DESC, t.id DESC");
      }
    } else if (!uids.empty()) {
      for (const std::string& u : uids) {
        for (const std::string& state : states) {
          drivers.push_back("tasks t INDEXED BY tasks_history_owner WHERE t.owner_uid = " + u +
                            " AND t.state = " + state + common + order);
        }
      }
    } else {
      for (const std::string& state : states) {
        drivers.push_back("tasks t INDEXED BY tasks_history_state WHERE t.state = " + state +
                          common + order);
      }
    }
    std::vector<Task> out;
    for (const std::string& driver : drivers) {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT " + QualifiedTaskColumns() + " FROM " + driver + " LIMIT ?2"));
      s.Bind(1, q.before_id).Bind(2, q.limit);
      if (q.owner_name) s.Bind(3, *q.owner_name);
      if (q.name) s.Bind(4, *q.name);
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out.push_back(ReadTask(s));
      }
    }
    std::sort(out.begin(), out.end(), [](const Task& a, const Task& b) { return a.id > b.id; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Task& a, const Task& b) { return a.id == b.id; }),
              out.end());
    if (static_cast<int64_t>(out.size()) > q.limit) out.resize(static_cast<size_t>(q.limit));
    return out;
  }

  Result<std::vector<Event>> GetEvents(int64_t task_id) override {
    std::lock_guard lock(reader_mu_);
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT task_id, " + std::string(kEventColumns) + " FROM events WHERE task_id = ? "
        "ORDER BY seq"));
    s.Bind(1, task_id);
    std::vector<Event> out;
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadEvent(s));
    }
    return out;
  }

  Result<std::optional<model::ArrayTail>> GetTailCovering(int64_t task_id) override {
    std::lock_guard lock(reader_mu_);
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT " + std::string(kTailColumns) + " FROM array_tails WHERE job_id <= ?1 "
        "ORDER BY job_id DESC LIMIT 1"));
    s.Bind(1, task_id);
    GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<model::ArrayTail>();
    model::ArrayTail t = ReadTail(s);
    if (task_id >= t.job_id + t.count) return std::optional<model::ArrayTail>();
    GANTRY_RETURN_IF_ERROR(CompleteTailLocked(t));
    return std::optional<model::ArrayTail>(std::move(t));
  }

  Result<std::vector<model::ArrayTail>> ListTails(const TaskFilter& f) override {
    std::lock_guard lock(reader_mu_);
    std::string where = "WHERE pristine > 0";
    if (!f.include_finished) where += " AND finished = 0";
    if (f.owner_uid) where += " AND owner_uid = ?1";
    if (f.job_id) where += " AND job_id = ?2";
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT " + std::string(kTailColumns) + " FROM array_tails " + where +
        " ORDER BY job_id LIMIT ?3"));
    if (f.owner_uid) s.Bind(1, static_cast<int64_t>(*f.owner_uid));
    if (f.job_id) s.Bind(2, *f.job_id);
    s.Bind(3, f.limit);
    std::vector<model::ArrayTail> out;
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadTail(s));
    }
    for (model::ArrayTail& t : out) GANTRY_RETURN_IF_ERROR(CompleteTailLocked(t));
    return out;
  }

  Result<std::vector<Attempt>> GetAttempts(int64_t task_id) override {
    std::lock_guard lock(reader_mu_);
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT " + std::string(kAttemptColumns) + " FROM attempts WHERE task_id = ? ORDER BY id"));
    s.Bind(1, task_id);
    std::vector<Attempt> out;
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadAttempt(s));
    }
    return out;
  }

 private:
  template <typename BindFn>
  Result<std::vector<Task>> QueryTasks(const std::string& where, BindFn bind) {
    std::lock_guard lock(reader_mu_);
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT " + std::string(kTaskColumns) + " FROM tasks " + where));
    bind(s);
    std::vector<Task> out;
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadTask(s));
    }
    return out;
  }

  // Reads a tail's journal and the positions taken beyond its watermark.
  Status CompleteTailLocked(model::ArrayTail& t) {
    {
      GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
          "SELECT job_id, " + std::string(kEventColumns) + " FROM tail_events "
          "WHERE job_id = ? ORDER BY seq"));
      s.Bind(1, t.job_id);
      while (true) {
        GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        t.journal.push_back(ReadEvent(s));
        t.journal.back().task_id = 0;
      }
    }
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT id - job_id FROM tasks WHERE job_id = ?1 AND id >= ?1 + ?2"));
    s.Bind(1, t.job_id).Bind(2, t.next);
    while (true) {
      GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      t.taken.insert(s.Int(0));
    }
    return {};
  }

  // The uids jobs were submitted under with this user name (one, unless an account was
  // renumbered): a skip-scan of jobs_owner, one index seek per uid.
  Result<std::vector<int64_t>> UidsOfLocked(const std::string& owner_name) {
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(
        "SELECT owner_uid FROM jobs INDEXED BY jobs_owner WHERE owner_name = ?1 AND "
        "owner_uid > ?2 ORDER BY owner_uid LIMIT 1"));
    std::vector<int64_t> out;
    int64_t after = -1;
    while (true) {
      s.Reset();
      s.Bind(1, owner_name).Bind(2, after);
      GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return out;
      after = s.Int(0);
      out.push_back(after);
    }
  }

  Result<int64_t> ScalarLocked(const std::string& sql) {
    GANTRY_ASSIGN_OR_RETURN(Statement s, reader_->Prepare(sql));
    GANTRY_ASSIGN_OR_RETURN(bool row, s.Step());
    return row ? s.Int(0) : 0;
  }

  // Each statement is prepared once for the group; rows keep their order within a table.
  Status WriteBatches(const std::vector<const Batch*>& bs) {
    auto any = [&](auto member) {
      return std::any_of(bs.begin(), bs.end(), [&](const Batch* b) { return !(b->*member).empty(); });
    };
    if (any(&Batch::new_jobs)) {
      GANTRY_ASSIGN_OR_RETURN(Statement s, writer_->Prepare(
          "INSERT INTO jobs(id, owner_uid, owner_gid, owner_name, submit_time, name, spec, vo, "
          "grp) "
          "VALUES(?,?,?,?,?,?,?,?,?)"));
      for (const Batch* b : bs) for (const Job& j : b->new_jobs) {
        s.Bind(1, j.id).Bind(2, static_cast<int64_t>(j.owner.uid))
            .Bind(3, static_cast<int64_t>(j.owner.gid)).Bind(4, j.owner.name)
            .Bind(5, j.submit_time).Bind(6, j.spec.name)
            .Bind(7, model::JobSpecToJson(j.spec).dump()).Bind(8, j.vo).Bind(9, j.group);
        GANTRY_RETURN_IF_ERROR(s.Run());
      }
    }
    if (any(&Batch::tasks)) {
      GANTRY_ASSIGN_OR_RETURN(Statement s, writer_->Prepare(
          "INSERT OR REPLACE INTO tasks(" + std::string(kTaskColumns) +
          ", finished) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      for (const Batch* b : bs) for (const Task& t : b->tasks) {
        s.Bind(1, t.id).Bind(2, t.job_id);
        if (t.array_index) s.Bind(3, *t.array_index); else s.BindNull(3);
        s.Bind(4, static_cast<int64_t>(t.owner_uid));
        s.Bind(5, model::StateName(t.state)).Bind(6, t.reason).Bind(7, t.attempts)
            .Bind(8, t.deep_retries).Bind(9, t.event_seq).Bind(10, t.current_attempt)
            .Bind(11, static_cast<int64_t>(t.cancel_requested)).Bind(12, t.start_time)
            .Bind(13, t.end_time).Bind(14, static_cast<int64_t>(t.exit_code))
            .Bind(15, static_cast<int64_t>(t.signal))
            .Bind(16, static_cast<int64_t>(model::IsTerminal(t.state)));
        GANTRY_RETURN_IF_ERROR(s.Run());
      }
    }
    if (any(&Batch::attempts)) {
      GANTRY_ASSIGN_OR_RETURN(Statement s, writer_->Prepare(
          "INSERT OR REPLACE INTO attempts(" + std::string(kAttemptColumns) +
          ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      for (const Batch* b : bs) for (const Attempt& a : b->attempts) {
        s.Bind(1, a.id).Bind(2, a.task_id).Bind(3, a.number).Bind(4, a.agent)
            .Bind(5, model::AttemptStateName(a.state)).Bind(6, a.scheduled_time)
            .Bind(7, a.start_time).Bind(8, a.end_time).Bind(9, static_cast<int64_t>(a.exit_code))
            .Bind(10, static_cast<int64_t>(a.signal)).Bind(11, a.usage.user_cpu_seconds)
            .Bind(12, a.usage.system_cpu_seconds).Bind(13, a.usage.wall_seconds)
            .Bind(14, a.usage.max_rss_kb).Bind(15, a.reason).Bind(16, a.stdout_path)
            .Bind(17, a.stderr_path);
        GANTRY_RETURN_IF_ERROR(s.Run());
      }
    }
    for (const Batch* b : bs) for (const AgentDrain& d : b->agent_drains) {
      GANTRY_ASSIGN_OR_RETURN(Statement s, writer_->Prepare(
          d.drained ? "INSERT OR REPLACE INTO agent_drains(name, reason, source, time) "
                      "VALUES(?,?,?,?)"
                    : "DELETE FROM agent_drains WHERE name = ?"));
      s.Bind(1, d.name);
      if (d.drained) s.Bind(2, d.reason).Bind(3, d.source).Bind(4, d.time);
      GANTRY_RETURN_IF_ERROR(s.Run());
    }
    GANTRY_RETURN_IF_ERROR(WriteEvents("events(task_id", bs, &Batch::events));
    GANTRY_RETURN_IF_ERROR(WriteEvents("tail_events(job_id", bs, &Batch::tail_events));
    if (any(&Batch::tails)) {
      GANTRY_ASSIGN_OR_RETURN(Statement s, writer_->Prepare(
          "INSERT OR REPLACE INTO array_tails(" + std::string(kTailColumns) +
          ", pristine, finished) VALUES(?,?,?,?,?,?,?,?,?)"));
      for (const Batch* b : bs) for (const model::ArrayTail& t : b->tails) {
        s.Bind(1, t.job_id).Bind(2, static_cast<int64_t>(t.owner_uid)).Bind(3, t.count)
            .Bind(4, t.next).Bind(5, model::StateName(t.state)).Bind(6, t.reason)
            .Bind(7, t.end_time).Bind(8, t.Pristine())
            .Bind(9, static_cast<int64_t>(t.Finished()));
        GANTRY_RETURN_IF_ERROR(s.Run());
      }
    }
    return {};
  }

  // table_and_key: "events(task_id" or "tail_events(job_id".
  Status WriteEvents(const std::string& table_and_key, const std::vector<const Batch*>& bs,
                     std::vector<Event> Batch::*member) {
    if (std::all_of(bs.begin(), bs.end(), [&](const Batch* b) { return (b->*member).empty(); })) {
      return {};
    }
    GANTRY_ASSIGN_OR_RETURN(Statement s, writer_->Prepare(
        "INSERT INTO " + table_and_key + ", " + std::string(kEventColumns) +
        ") VALUES(?,?,?,?,?,?,?,?,?,?)"));
    for (const Batch* b : bs) for (const Event& e : b->*member) {
      s.Bind(1, e.task_id).Bind(2, e.seq).Bind(3, e.time).Bind(4, e.source).Bind(5, e.type)
          .Bind(6, model::StateName(e.state)).Bind(7, e.reason).Bind(8, e.subject)
          .Bind(9, e.issuer).Bind(10, e.vo);
      GANTRY_RETURN_IF_ERROR(s.Run());
    }
    return {};
  }

  std::mutex writer_mu_;
  std::unique_ptr<Db> writer_;  // GUARDED_BY(writer_mu_)
  std::mutex reader_mu_;
  std::unique_ptr<Db> reader_;  // GUARDED_BY(reader_mu_)
};

Status Migrate(Db& db) {
  GANTRY_ASSIGN_OR_RETURN(Statement app, db.Prepare("PRAGMA application_id"));
  GANTRY_ASSIGN_OR_RETURN(bool row, app.Step());
  int64_t app_id = row ? app.Int(0) : 0;
  GANTRY_ASSIGN_OR_RETURN(Statement count, db.Prepare("SELECT COUNT(*) FROM sqlite_master"));
  GANTRY_ASSIGN_OR_RETURN(row, count.Step());
  int64_t objects = row ? count.Int(0) : 0;
  if (app_id != kApplicationId && objects > 0) {
    return Fail(FailedPrecondition(db.path() + " is a SQLite database, but not Gantry's; move it "
                                   "away or choose another GANTRY_HOME"));
  }
  GANTRY_ASSIGN_OR_RETURN(Statement ver, db.Prepare("PRAGMA user_version"));
  GANTRY_ASSIGN_OR_RETURN(row, ver.Step());
  int64_t version = row ? ver.Int(0) : 0;
  if (version > kSchemaVersion) {
    return Fail(FailedPrecondition(db.path() + " has schema version " + std::to_string(version) +
                                   ", newer than this gantry understands (" +
                                   std::to_string(kSchemaVersion) + ")"));
  }
  if (version == kSchemaVersion) return {};
  // One transaction from whatever version it has to the current one.
  GANTRY_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status s;
  if (version < 1) s = db.Exec(kSchemaV1);
  if (s && version < 2) s = db.Exec(kSchemaV2);
  if (s && version < 3) s = db.Exec(kSchemaV3);
  if (s && version < 4) s = db.Exec(kSchemaV4);
  if (s && version < 5) s = db.Exec(kSchemaV5);
  if (s) s = db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  if (s) s = db.Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  if (s) s = db.Exec("COMMIT");
  if (!s) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, Durability durability) {
  GANTRY_ASSIGN_OR_RETURN(auto writer, Db::Open(path, /*read_only=*/false));
  // A foreign or corrupted file fails here, on the first read of its header.
  auto wal = writer->Exec("PRAGMA journal_mode = WAL");
  if (!wal) {
    return Fail(Error(wal.error().code(), "cannot use " + path + " as Gantry's database: " +
                                             wal.error().message()));
  }
  GANTRY_RETURN_IF_ERROR(writer->Exec(durability == Durability::kFull
                                          ? "PRAGMA synchronous = FULL"
                                          : "PRAGMA synchronous = NORMAL"));
  auto migrated = Migrate(*writer);
  if (!migrated) {
    return Fail(Error(migrated.error().code(), "cannot use " + path + " as Gantry's database: " +
                                                   migrated.error().message()));
  }
  GANTRY_ASSIGN_OR_RETURN(auto reader, Db::Open(path, /*read_only=*/true));
  return std::unique_ptr<Store>(new SqliteStore(std::move(writer), std::move(reader)));
}

}  // namespace gantry::store
