// Helpers shared by the `gantry data` subcommands (cmd_data*.cc): key=value lists, DID
// paths in the API, byte counts for people. Loop-thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "catalog/did.h"
#include "cli/client.h"

namespace gantry::cli {

// "k=v" words into a map; the error names the word without '='.
Result<std::map<std::string, std::string>> KeyValues(const std::vector<std::string>& words,
                                                     std::string_view flag);
// "/v1/dids/SCOPE/NAME" + suffix.
std::string DidPath(const catalog::Did& did, std::string_view suffix = "");
// "1.5 GB" (decimal units, as Rucio prints).
std::string HumanBytes(int64_t bytes);

// One `gantry data` subcommand: argv[0] is its name.
struct DataCommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(int argc, char** argv);
};

// The rows of each file (cmd_data_rse.cc, cmd_data_dids.cc, cmd_data_replicas.cc).
std::vector<DataCommand> RseCommands();
std::vector<DataCommand> DidCommands();
std::vector<DataCommand> ReplicaCommands();
std::vector<DataCommand> RuleCommands();  // cmd_data_rules.cc

}  // namespace gantry::cli
