// gantry logs: a job's stdout and stderr, following while it runs.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "base/strings.h"
#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {
namespace {

struct Stream {
  const char* name;
  FILE* out;
  int64_t offset = 0;
};

// Reads what is new of one stream; returns whether the job has ended.
Result<bool> Pump(Client& client, const std::string& id, Stream& s, bool& got_data) {
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r,
                            client.Raw("GET", "/v1/jobs/" + QueryEscape(id) + "/output?stream=" +
                                                  s.name + "&offset=" + std::to_string(s.offset)));
    if (!r.body.empty()) {
      std::fwrite(r.body.data(), 1, r.body.size(), s.out);
      std::fflush(s.out);
      s.offset += static_cast<int64_t>(r.body.size());
      got_data = true;
      continue;
    }
    return r.Header("x-gantry-job-ended") == "1";
  }
}

}  // namespace

int RunLogs(int argc, char** argv) {
  std::vector<std::string> ids;
  bool follow = false;
  Flags f("gantry logs [OPTIONS] JOBID",
          "Prints a job's output: its stdout file to stdout and, when -e named a separate\n"
          "file, its stderr file to stderr. With -f, keeps following until the job ends.");
  f.Bool("-f,--follow", &follow, "keep printing new output until the job ends");
  f.Positionals(&ids, "JOBID", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("logs", client.error());
  Stream out{"stdout", stdout}, err{"stderr", stderr};
  auto delay = std::chrono::milliseconds(20);
  while (true) {
    bool got = false;
    auto ended = Pump(*client, ids[0], out, got);
    if (!ended) return Report("logs", ended.error());
    auto err_ended = Pump(*client, ids[0], err, got);
    if (!err_ended) return Report("logs", err_ended.error());
    if (!follow || *ended) {
      // One more pass after the end: output written just before it ended.
      if (follow && got) continue;
      return 0;
    }
    // The output is a file on the node; poll it, backing off while it is quiet.
    delay = got ? std::chrono::milliseconds(20) : std::min(delay * 2, std::chrono::milliseconds(500));
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace gantry::cli
