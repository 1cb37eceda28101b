#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "base/check.h"
#include "cli/command.h"

namespace gantry::cli {
namespace {

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "Usage: gantry COMMAND [OPTIONS]\n\n"
               "Gantry: workload and data management for science.\n\nCommands:\n");
  for (const Command& c : Commands()) {
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::fprintf(out, "\nRun 'gantry COMMAND --help' for a command's options.\n");
}

// The command's function: its own, or the role's from `roles` (the full binary's).
Command::Run RunnerOf(const Command& c, std::span<const Command> roles) {
  if (c.run != nullptr) return c.run;
  for (const Command& r : roles) {
    if (r.name == c.name) return r.run;
  }
  return nullptr;
}

}  // namespace

int Main(int argc, char** argv, std::span<const Command> roles) {
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return 0;
  }
  for (const Command& c : Commands()) {
    if (c.name != name) continue;
    auto run = RunnerOf(c, roles);
    // A role this binary does not carry (the thin client): the full binary runs it, in
    // this process (same pid, same argv).
    if (run == nullptr && roles.empty()) return ExecFullBinary(argc, argv);
    GANTRY_CHECK(run != nullptr);  // the full binary carries every role
    // Third-party code that throws (CLI11, nlohmann::json) is caught here, once.
    try {
      return run(argc - 1, argv + 1);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gantry %s: %s\n", argv[1], e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "gantry: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}

}  // namespace gantry::cli
