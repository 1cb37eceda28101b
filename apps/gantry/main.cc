// gantry: the thin client users run (submit, q, status, ...), quick to start: it links no
// server, agent or launcher code and no SQLite, libjwt, hwloc or PMIx. It execs gantry-full,
// installed beside it, for the roles (up, server, agent, run, token).
#include "cli/command.h"

int main(int argc, char** argv) { return gantry::cli::Main(argc, argv); }
