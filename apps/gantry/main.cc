#include "cli/command.h"

int main(int argc, char** argv) { return gantry::cli::Main(argc, argv); }
