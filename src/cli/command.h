// The gantry CLI's subcommands. Each subcommand is one function in its own file
// (cmd_<name>.cc) and one row in commands.cc. Loop-thread only (it is main).
#pragma once

#include <span>
#include <string_view>

namespace gantry::cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  // argv[0] is the subcommand name; returns the process exit status.
  int (*run)(int argc, char** argv);
};

std::span<const Command> Commands();

// Entry point for apps/gantry/main.cc.
int Main(int argc, char** argv);

}  // namespace gantry::cli
