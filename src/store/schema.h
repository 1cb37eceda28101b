// The SQLite schema and its migrations (docs/schema.md). Pure data.
#pragma once

#include <cstdint>
#include <string_view>

namespace gantry::store {

// PRAGMA application_id of a Gantry database: "GANT".
constexpr int32_t kApplicationId = 0x47414E54;
constexpr int kSchemaVersion = 4;

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

}  // namespace gantry::store
