// fill_history: writes a Gantry database with a large finished history, for bench/history/run.sh.
//   fill_history DB TASKS [TASKS_PER_JOB]
// Jobs of TASKS_PER_JOB tasks (arrays; default 100), all finished (DONE, every 50th task
// FAILED), owned by "alice" except every 100th job, which is "bob"'s: bob is the rare user
// whose rows an unindexed, filter-after-the-limit query never reaches. Written through the
// store API (store::Batch), 100,000 tasks per transaction.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/store.h"

int main(int argc, char** argv) {
  using namespace gantry;
  if (argc < 3) {
    std::fprintf(stderr, "usage: fill_history DB TASKS [TASKS_PER_JOB]\n");
    return 2;
  }
  std::string path = argv[1];
  int64_t total = std::atoll(argv[2]);
  int64_t per_job = argc > 3 ? std::atoll(argv[3]) : 100;
  if (total < 1 || per_job < 1) {
    std::fprintf(stderr, "fill_history: TASKS and TASKS_PER_JOB must be >= 1\n");
    return 2;
  }
  auto store = store::OpenSqliteStore(path, store::Durability::kNormal);
  if (!store) {
    std::fprintf(stderr, "fill_history: %s\n", store.error().message().c_str());
    return 1;
  }
  const TimeMicros t0 = 1'700'000'000'000'000;
  store::Batch batch;
  int64_t id = 1;
  for (int64_t job = 0; id <= total; ++job) {
    bool bob = job % 100 == 0;
    model::Job j;
    j.id = id;
    j.owner = bob ? model::Owner{60002, 60002, "bob"} : model::Owner{60001, 60001, "alice"};
    j.submit_time = t0 + id;
    j.spec.name = bob ? "bobs" : "sweep";
    j.spec.script = "#!/bin/sh\ntrue\n";
    j.spec.submit_dir = j.spec.working_dir = "/tmp";
    int64_t tasks = std::min(per_job, total - id + 1);
    if (tasks > 1) {
      j.spec.array = model::ArraySpec{};
      for (int64_t i = 0; i < tasks; ++i) j.spec.array->task_ids.push_back(i);
    }
    batch.new_jobs.push_back(j);
    for (int64_t i = 0; i < tasks; ++i, ++id) {
      model::Task t;
      t.id = id;
      t.job_id = j.id;
      if (tasks > 1) t.array_index = i;
      t.owner_uid = j.owner.uid;
      t.state = id % 50 == 0 ? model::TaskState::kFailed : model::TaskState::kDone;
      t.reason = t.state == model::TaskState::kDone ? "exit 0" : "exit 1";
      t.attempts = 1;
      t.event_seq = 4;
      t.start_time = t0 + id * 1000;
      t.end_time = t.start_time + 500;
      t.exit_code = t.state == model::TaskState::kDone ? 0 : 1;
      batch.tasks.push_back(t);
    }
    if (batch.tasks.size() >= 100'000 || id > total) {
      if (auto s = (*store)->Commit(batch); !s) {
        std::fprintf(stderr, "fill_history: %s\n", s.error().message().c_str());
        return 1;
      }
      batch = {};
    }
  }
  return 0;
}
