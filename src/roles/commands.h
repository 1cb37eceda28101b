// The role commands that only the full binary (`gantry-full`) carries: the server, the
// agent, the launcher and the token issuer. cli::Main runs them by name; the thin `gantry`
// client execs gantry-full for them. Loop-thread only (it is main).
#pragma once

#include <span>

#include "cli/command.h"

namespace gantry::roles {

// The functions of cli::Commands()'s role rows (up, server, agent, run, token).
std::span<const cli::Command> Commands();

}  // namespace gantry::roles
