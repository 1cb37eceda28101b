// The SQLite schema and its migrations (docs/schema.md). Pure data.
#pragma once

#include <cstdint>
#include <string_view>

namespace gantry::store {

// PRAGMA application_id of a Gantry database: "GANT".
constexpr int32_t kApplicationId = 0x47414E54;
constexpr int kSchemaVersion = 5;

// Creates version 1 from an empty database.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE jobs(
  id INTEGER PRIMARY KEY,
  owner_uid INTEGER NOT NULL,
  owner_gid INTEGER NOT NULL,
  owner_name TEXT NOT NULL,
  submit_time INTEGER NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL
);
CREATE TABLE tasks(
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  array_index INTEGER,
  owner_uid INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  deep_retries INTEGER NOT NULL,
  event_seq INTEGER NOT NULL,
  current_attempt INTEGER NOT NULL,
  cancel_requested INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  exit_code INTEGER NOT NULL,
  signal INTEGER NOT NULL,
  finished INTEGER NOT NULL
);
CREATE INDEX tasks_job ON tasks(job_id);
CREATE INDEX tasks_active ON tasks(finished, id);
CREATE TABLE attempts(
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  agent TEXT NOT NULL,
  state TEXT NOT NULL,
  scheduled_time INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  exit_code INTEGER NOT NULL,
  signal INTEGER NOT NULL,
  user_cpu REAL NOT NULL,
  system_cpu REAL NOT NULL,
  wall REAL NOT NULL,
  max_rss_kb INTEGER NOT NULL,
  reason TEXT NOT NULL,
  stdout_path TEXT NOT NULL,
  stderr_path TEXT NOT NULL
);
CREATE INDEX attempts_task ON attempts(task_id);
CREATE TABLE events(
  task_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY(task_id, seq)
) WITHOUT ROWID;
)sql";

// Version 2: arrays keep their untouched tasks as one row (model/array_tail.h).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE array_tails(
  job_id INTEGER PRIMARY KEY REFERENCES jobs(id),
  owner_uid INTEGER NOT NULL,
  count INTEGER NOT NULL,
  next INTEGER NOT NULL,
  pristine INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  end_time INTEGER NOT NULL,
  finished INTEGER NOT NULL
);
CREATE INDEX array_tails_active ON array_tails(finished, job_id);
CREATE TABLE tail_events(
  job_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY(job_id, seq)
) WITHOUT ROWID;
)sql";

// Version 3: history pages (store::HistoryQuery) read newest first through an index, whatever
// the filter. The task indexes are partial: an unfinished task's many rewrites never touch
// them.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE INDEX jobs_owner ON jobs(owner_name, owner_uid);
CREATE INDEX jobs_name ON jobs(name, id);
CREATE INDEX tasks_history_owner ON tasks(owner_uid, state, id) WHERE finished = 1;
CREATE INDEX tasks_history_state ON tasks(state, id) WHERE finished = 1;
)sql";

// Version 4: identities (model/identity.h). A job records its submitter's primary VO and
// group (who sees it besides its owner: a see-vo role; what it is accounted to); an event
// the identity that caused it. Drained agents stay drained across a restart.
constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE jobs ADD COLUMN vo TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN grp TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_vo ON jobs(vo, id);
ALTER TABLE events ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN vo TEXT NOT NULL DEFAULT '';
ALTER TABLE tail_events ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE tail_events ADD COLUMN issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE tail_events ADD COLUMN vo TEXT NOT NULL DEFAULT '';
CREATE TABLE agent_drains(
  name TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  time INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 5: accounting (model/usage_record.h, docs/acct.md). One `usage` row per attempt that
// started, kept by triggers in the transaction that ends the attempt: keyed by the attempt's
// id, so rewriting an ended attempt (a retry, a lost agent that comes back) replaces its row
// and nothing counts twice. The table is clustered by (user, end_time): one user's month is
// one contiguous range. usage_meta.max_elapsed (microseconds) bounds the scan of a time window:
// an attempt that ran in [S, E] ended in [S, E + max_elapsed]. Existing ended attempts are
// charged once at migration.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE usage(
  user TEXT NOT NULL,
  end_time INTEGER NOT NULL,
  attempt_id INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  task_id INTEGER NOT NULL,
  job_id INTEGER NOT NULL,
  array_index INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  job_name TEXT NOT NULL,
  grp TEXT NOT NULL,
  vo TEXT NOT NULL,
  account TEXT NOT NULL,
  partition TEXT NOT NULL,
  agent TEXT NOT NULL,
  submit_time INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  cores INTEGER NOT NULL,
  gpus INTEGER NOT NULL,
  user_cpu REAL NOT NULL,
  system_cpu REAL NOT NULL,
  max_rss_kb INTEGER NOT NULL,
  state TEXT NOT NULL,
  exit_code INTEGER NOT NULL,
  signal INTEGER NOT NULL,
  PRIMARY KEY(user, end_time, attempt_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX usage_attempt ON usage(attempt_id);
CREATE INDEX usage_time ON usage(end_time);
CREATE INDEX usage_vo_time ON usage(vo, end_time);
CREATE INDEX usage_account_time ON usage(account, end_time);
CREATE INDEX usage_job ON usage(job_id);
CREATE TABLE usage_meta(
  id INTEGER PRIMARY KEY CHECK(id = 1),
  max_elapsed INTEGER NOT NULL
);
INSERT INTO usage_meta(id, max_elapsed) VALUES(1, 0);
-- What an ended attempt is charged, one row per attempt; the triggers read it by attempt id.
-- An attempt's state as sacct names it, from how it ended (broker/broker_agent.cc's reasons).
CREATE VIEW usage_source AS
SELECT j.owner_name AS user, a.end_time AS end_time, a.id AS attempt_id, j.owner_uid AS uid,
  a.task_id AS task_id, t.job_id AS job_id, COALESCE(t.array_index, -1) AS array_index,
  a.number AS attempt, j.name AS job_name, j.grp AS grp, j.vo AS vo,
  COALESCE(NULLIF(json_extract(j.spec, '$.account'), ''), NULLIF(j.grp, ''), NULLIF(j.vo, ''),
           j.owner_name) AS account,
  COALESCE(json_extract(j.spec, '$.partition'), '') AS partition,
  a.agent AS agent, j.submit_time AS submit_time, a.start_time AS start_time,
  MAX(1, COALESCE(json_extract(j.spec, '$.ntasks'), 1) *
         COALESCE(json_extract(j.spec, '$.cpus_per_task'), 1)) AS cores,
  COALESCE(json_extract(j.spec, '$.gpus'), 0) AS gpus,
  a.user_cpu AS user_cpu, a.system_cpu AS system_cpu, a.max_rss_kb AS max_rss_kb,
  CASE
    WHEN a.reason LIKE 'wall-time limit exceeded%' THEN 'TIMEOUT'
    WHEN a.reason LIKE 'memory limit exceeded%' THEN 'OUT_OF_MEMORY'
    WHEN a.reason LIKE 'agent % lost %' OR a.reason LIKE 'agent % no longer knows %'
      THEN 'NODE_FAIL'
    WHEN t.cancel_requested != 0 THEN 'CANCELLED'
    WHEN a.exit_code = 0 AND a.signal = 0 AND a.reason NOT LIKE 'could not start%'
      THEN 'COMPLETED'
    ELSE 'FAILED'
  END AS state,
  a.exit_code AS exit_code, a.signal AS signal
FROM attempts a JOIN tasks t ON t.id = a.task_id JOIN jobs j ON j.id = t.job_id
WHERE a.state = 'ENDED' AND a.start_time > 0;
CREATE TRIGGER usage_on_insert AFTER INSERT ON attempts
WHEN NEW.state = 'ENDED' AND NEW.start_time > 0
BEGIN
  INSERT OR REPLACE INTO usage SELECT * FROM usage_source WHERE attempt_id = NEW.id;
  UPDATE usage_meta SET max_elapsed = MAX(max_elapsed, NEW.end_time - NEW.start_time);
END;
CREATE TRIGGER usage_on_update AFTER UPDATE ON attempts
WHEN NEW.state = 'ENDED' AND NEW.start_time > 0
BEGIN
  INSERT OR REPLACE INTO usage SELECT * FROM usage_source WHERE attempt_id = NEW.id;
  UPDATE usage_meta SET max_elapsed = MAX(max_elapsed, NEW.end_time - NEW.start_time);
END;
INSERT OR REPLACE INTO usage SELECT * FROM usage_source;
UPDATE usage_meta SET max_elapsed = COALESCE((SELECT MAX(end_time - start_time) FROM usage), 0);
)sql";

}  // namespace gantry::store
