#include "roles/commands.h"

namespace gantry::cli {
// The data, cp, transfers, root and analysis commands kept the CLI's namespace (cmd_data*.cc,
// cmd_cp.cc, cmd_transfers.cc, cmd_root.cc, cmd_analysis.cc): they are here because they link
// the catalog's store, the storages (XrdCl) and the ROOT reader.
int RunData(int argc, char** argv);
int RunRoot(int argc, char** argv);
int RunAnalysis(int argc, char** argv);
int RunCp(int argc, char** argv);         // cmd_cp.cc: links the storages (XrdCl)
int RunTransfers(int argc, char** argv);  // cmd_transfers.cc
}  // namespace gantry::cli

namespace gantry::roles {

// One declaration per role; the implementation lives in cmd_<name>.cc, the row with its
// summary in cli/commands.cc.
int RunUp(int argc, char** argv);
int RunServer(int argc, char** argv);
int RunAgent(int argc, char** argv);
int RunRun(int argc, char** argv);
int RunToken(int argc, char** argv);

std::span<const cli::Command> Commands() {
  static const cli::Command kRoles[] = {
      {"up", "", RunUp},     {"server", "", RunServer}, {"agent", "", RunAgent},
      {"run", "", RunRun},   {"token", "", RunToken},       {"data", "", cli::RunData},
      {"root", "", cli::RunRoot},  {"analysis", "", cli::RunAnalysis},
      {"cp", "", cli::RunCp},      {"transfers", "", cli::RunTransfers},
  };
  return kRoles;
}

}  // namespace gantry::roles
