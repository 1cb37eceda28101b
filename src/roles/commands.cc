#include "roles/commands.h"

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
      {"run", "", RunRun},   {"token", "", RunToken},
  };
  return kRoles;
}

}  // namespace gantry::roles
