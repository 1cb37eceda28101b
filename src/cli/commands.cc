#include "cli/command.h"

namespace gantry::cli {

// One declaration and one row per subcommand; the implementation lives in cmd_<name>.cc.
int RunVersion(int argc, char** argv);
int RunClassad(int argc, char** argv);
int RunRun(int argc, char** argv);

std::span<const Command> Commands() {
  static const Command kCommands[] = {
      {"version", "print the version", RunVersion},
      {"classad", "evaluate ClassAd expressions and test matches locally", RunClassad},
      {"run", "start N ranks of an MPI program here (PMI-1, PMIx)", RunRun},
  };
  return kCommands;
}

}  // namespace gantry::cli
