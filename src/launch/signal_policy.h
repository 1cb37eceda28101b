// Which signals `gantry run` takes over and what each one means for the job (docs/run.md).
// No catchable signal whose default action would end the launcher may end it before its
// ranks: each is blocked and read from a signalfd. Synchronous faults (SIGSEGV, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP, SIGSYS) are left alone: ranks die with the launcher anyway
// (rank_spawner.h: a parent-death signal). Pure: thread-safe.
#pragma once

#include <signal.h>

namespace gantry::launch {

enum class SignalAction {
  kReap,           // SIGCHLD: collect exited ranks
  kForward,        // SIGUSR1, SIGUSR2: pass to every rank, the job goes on (as hydra, mpirun)
  kForwardAndEnd,  // SIGINT, SIGTERM, SIGALRM, ...: pass to every rank, the job is ending
  kIgnore,         // not ours (stop signals, SIGPIPE, faults)
};

SignalAction ActionFor(int sig);

// Every signal with an action other than kIgnore.
sigset_t HandledSignals();

}  // namespace gantry::launch
