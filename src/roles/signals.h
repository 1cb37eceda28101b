// The long-running roles: `gantry up` (server + local agent), `gantry server`,
// `gantry agent`. Shared set-up: signals, logging, options.
#pragma once

namespace gantry::roles {

// Blocks SIGINT/SIGTERM/SIGHUP in this thread and every thread started after it; call first.
void BlockTerminationSignals();
// Waits for one of them; returns its number.
int WaitForTerminationSignal();

}  // namespace gantry::roles
