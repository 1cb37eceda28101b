// gantry data: the file catalog, in Rucio's words (add-rse, list-rses, add-file, add-dataset,
// attach, list-dids, list-content, list-replicas, set-metadata, usage...). Each subcommand
// lives in cmd_data_rse.cc, cmd_data_dids.cc or cmd_data_replicas.cc; docs/data.md.
#include <cstdio>
#include <string_view>

#include "base/strings.h"
#include "roles/data_common.h"

namespace gantry::cli {

Result<std::map<std::string, std::string>> KeyValues(const std::vector<std::string>& words,
                                                     std::string_view flag) {
  std::map<std::string, std::string> out;
  for (const auto& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(InvalidArgument(std::string(flag) + " '" + w + "': write it as key=value"));
    }
    out[w.substr(0, eq)] = w.substr(eq + 1);
  }
  return out;
}

std::string DidPath(const catalog::Did& did, std::string_view suffix) {
  return "/v1/dids/" + QueryEscape(did.scope) + "/" + QueryEscape(did.name) +
         std::string(suffix);
}

std::string HumanBytes(int64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.3f %s", v, units[u]);
  }
  return buf;
}

namespace {

std::vector<DataCommand> All() {
  std::vector<DataCommand> all;
  for (auto part : {RseCommands(), DidCommands(), ReplicaCommands(), RuleCommands()}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

void Usage(FILE* out) {
  std::fprintf(out,
               "usage: gantry data COMMAND [ARGS] (each command takes --help)\n\n"
               "The file catalog: storage endpoints (RSEs), data identifiers scope:name (files,\n"
               "datasets, containers), their replicas, metadata, ACLs and usage, named as\n"
               "Rucio names them. See docs/data.md.\n\n");
  for (const auto& c : All()) {
    std::fprintf(out, "  %-20s %s\n", std::string(c.name).c_str(), std::string(c.summary).c_str());
  }
}

}  // namespace

int RunData(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  std::string_view sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    Usage(stdout);
    return 0;
  }
  for (const auto& c : All()) {
    if (c.name == sub) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "gantry data: unknown command '%s' (see gantry data --help)\n",
               std::string(sub).c_str());
  return 2;
}

}  // namespace gantry::cli
