// The gantry CLI's subcommands. Each subcommand is one function in its own file
// (cmd_<name>.cc) and one row in commands.cc. Loop-thread only (it is main).
//
// Two binaries share the table: `gantry`, the thin client users run for submit, q, status,
// ... (it links no server, agent or launcher code), and `gantry-full` beside it, which also
// carries the roles (up, server, agent, run, token: roles/). The thin one execs the full one
// for a role, so `gantry up` works as it always did.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace gantry::cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  // argv[0] is the subcommand name; returns the process exit status. nullptr: a role, run
  // by the full binary (roles::Commands()).
  using Run = int (*)(int argc, char** argv);
  Run run;
};

std::span<const Command> Commands();

// Entry point for apps/gantry: `roles` are the functions of the role rows this binary
// carries (none in the thin client).
int Main(int argc, char** argv, std::span<const Command> roles = {});

// gantry-full beside this binary (/proc/self/exe).
std::string FullBinaryPath();
// Replaces this process with the full binary, same argv; returns 127 (and says why) only if
// it cannot be started.
int ExecFullBinary(int argc, char** argv);

}  // namespace gantry::cli
