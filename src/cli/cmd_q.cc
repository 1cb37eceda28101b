// gantry q: squeue.
#include <algorithm>
#include <cstdio>

#include "base/clock.h"
#include "cli/flags.h"
#include "cli/jobs.h"
#include "cli/q_rows.h"

namespace gantry::cli {

int RunQ(int argc, char** argv) {
  std::string states, user, name, job, cursor;
  int64_t limit = 0;
  bool all = false, as_json = false, noheader = false;
  Flags f("gantry q [OPTIONS]",
          "Lists jobs like squeue, newest first: unfinished ones by default, with --all the\n"
          "finished ones too (a page of 10,000 rows unless --limit says otherwise). Pending\n"
          "tasks of an array in the same state for the same reason are one line, 12_[3-99].\n"
          "You see your own jobs (an administrator sees everyone's).");
  f.String("-t,--state,--states", &states, "STATES",
           "only these states, comma-separated: PENDING/PD, RUNNING/R, CONFIGURING/CF, "
           "COMPLETED/CD, CANCELLED/CA, FAILED/F, or Gantry's READY, WAITING, HELD, SCHEDULED, "
           "DONE, ... (any case; finished states imply --all)");
  f.String("-u,--user", &user, "USER", "only this user's jobs");
  f.String("-n,--name", &name, "NAME", "only jobs with this name");
  f.String("-j,--job,--jobs", &job, "JOBIDS",
           "only these jobs, comma-separated: 12 (a job or whole array, or an array task by its "
           "own id), 12_3, 12_[1-5,7]");
  f.Bool("-a,--all", &all, "include finished jobs");
  f.Int("--limit", &limit, "N", "at most N rows (1-100000); the rest is the next page");
  f.String("--cursor", &cursor, "CURSOR", "the page after the one that printed this cursor");
  f.Bool("--noheader", &noheader, "no header line");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  std::string query = "/v1/jobs?all=" + std::string(all ? "1" : "0");
  if (!states.empty()) query += "&state=" + QueryEscape(states);
  if (!user.empty()) query += "&user=" + QueryEscape(user);
  if (!name.empty()) query += "&name=" + QueryEscape(name);
  if (!job.empty()) query += "&job=" + QueryEscape(job);
  if (limit != 0) query += "&limit=" + std::to_string(limit);
  if (!cursor.empty()) query += "&cursor=" + QueryEscape(cursor);
  auto client = Client::Connect();
  if (!client) return Report("q", client.error());
  auto r = client->Call("GET", query);
  if (!r) return Report("q", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["jobs"].dump(2).c_str());
  } else {
    std::fputs(FormatQueueTable(FoldQueueRows((*r)["jobs"], SystemClock().Now()), !noheader).c_str(),
               stdout);
  }
  // On stderr, so the table and --json stay whole for scripts.
  if (r->contains("next_cursor")) {
    std::fflush(stdout);
    std::fprintf(stderr, "gantry q: more rows follow: add --cursor=%s for the next page\n",
                 (*r)["next_cursor"].get<std::string>().c_str());
  }
  return 0;
}

}  // namespace gantry::cli
