#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

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

}  // namespace

int Main(int argc, char** argv) {
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
    if (c.name == name) {
      // Third-party code that throws (CLI11, nlohmann::json) is caught here, once.
      try {
        return c.run(argc - 1, argv + 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "gantry %s: %s\n", argv[1], e.what());
        return 1;
      }
    }
  }
  std::fprintf(stderr, "gantry: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}

}  // namespace gantry::cli
