// gantry cancel / hold / release.
#include <cstdio>

#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {
namespace {

int Steer(const char* verb, int argc, char** argv, const char* description) {
  std::vector<std::string> ids;
  bool all = false, quiet = false;
  std::string usage = std::string("gantry ") + verb + " [OPTIONS] JOBID...";
  Flags f(usage, description);
  if (std::string(verb) == "cancel") f.Bool("--all", &all, "cancel all of your jobs");
  f.Bool("-q,--quiet", &quiet, "print nothing");
  f.Positionals(&ids, "JOBID", 0, 100000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (ids.empty() && !all) {
    std::fprintf(stderr, "gantry %s: name at least one job%s\n", verb,
                 std::string(verb) == "cancel" ? " (or --all)" : "");
    return 2;
  }
  auto client = Client::Connect();
  if (!client) return Report(verb, client.error());
  int rc = 0;
  if (all) {
    auto r = client->Call("POST", "/v1/cancel-all", "{}");
    if (!r) return Report(verb, r.error());
    if (!quiet) std::printf("cancelled %lld task(s)\n", static_cast<long long>((*r)["changed"].get<int64_t>()));
  }
  for (const std::string& id : ids) {
    auto r = client->Call("POST", "/v1/jobs/" + QueryEscape(id) + "/" + verb, "{}");
    if (!r) {
      rc = Report(verb, r.error().Wrap(id));
      continue;
    }
    if (!quiet) {
      std::printf("%s %s: %lld task(s)\n", verb, id.c_str(),
                  static_cast<long long>((*r)["changed"].get<int64_t>()));
    }
  }
  return rc;
}

}  // namespace

int RunCancel(int argc, char** argv) {
  return Steer("cancel", argc, argv,
               "Cancels jobs: JOBID, ARRAYID (every task), ARRAYID_N (one task), or --all.\n"
               "Running jobs get SIGTERM, then SIGKILL, for their whole process tree.");
}
int RunHold(int argc, char** argv) {
  return Steer("hold", argc, argv, "Holds pending jobs so they are not started until released.");
}
int RunRelease(int argc, char** argv) {
  return Steer("release", argc, argv, "Releases held jobs.");
}

}  // namespace gantry::cli
