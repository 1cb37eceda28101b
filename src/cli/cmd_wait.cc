#include <cstdio>

#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {

int RunWait(int argc, char** argv) {
  std::vector<std::string> ids;
  bool quiet = false;
  Flags f("gantry wait [OPTIONS] JOBID...",
          "Blocks until the jobs have ended and exits with their exit status: the highest\n"
          "exit code among them, 128+N if killed by signal N, 1 if cancelled or failed to start.");
  f.Bool("-q,--quiet", &quiet, "print nothing");
  f.Positionals(&ids, "JOBID", 1, 10000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("wait", client.error());
  return WaitForJobs(*client, ids, quiet);
}

}  // namespace gantry::cli
