// gantry-full: every command, the roles too (server, agent, launcher, token issuer). The
// thin `gantry` execs it for those.
#include "cli/command.h"
#include "roles/commands.h"

int main(int argc, char** argv) {
  return gantry::cli::Main(argc, argv, gantry::roles::Commands());
}
