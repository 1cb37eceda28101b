#include <cstdio>

#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {

int RunWait(int argc, char** argv) {
  std::vector<std::string> ids;
  bool quiet = false;
  int64_t reconnect = 300;
  Flags f("gantry wait [OPTIONS] JOBID...",
          "Blocks until the jobs have ended and exits with their exit status: the highest\n"
          "exit code among them, 128+N if killed by signal N, 1 if cancelled or failed to start.\n"
          "If the server goes away meanwhile (a restart), it says so on stderr and waits for it\n"
          "to come back; it exits 75 if the server stays away longer than --reconnect-timeout\n"
          "(10 s if it never answered) - the jobs' outcome is then unknown.");
  f.Bool("-q,--quiet", &quiet, "print nothing but errors");
  f.Int("--reconnect-timeout", &reconnect, "SECONDS",
        "how long to wait for a server that went away (default 300; 0: give up at once)");
  f.Positionals(&ids, "JOBID", 1, 10000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (reconnect < 0) {
    std::fprintf(stderr, "gantry wait: --reconnect-timeout must be >= 0, got %lld\n",
                 static_cast<long long>(reconnect));
    return 2;
  }
  auto client = Client::Connect();
  if (!client) return Report("wait", client.error());
  return WaitForJobs(*client, ids,
                     {quiet ? Output::kQuiet : Output::kProgress, std::chrono::seconds(reconnect)});
}

}  // namespace gantry::cli
