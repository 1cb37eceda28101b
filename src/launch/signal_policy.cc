#include "launch/signal_policy.h"

namespace gantry::launch {

SignalAction ActionFor(int sig) {
  switch (sig) {
    case SIGCHLD:
      return SignalAction::kReap;
    case SIGUSR1:
    case SIGUSR2:
      return SignalAction::kForward;
    // Every asynchronous signal whose default action terminates a process. SIGALRM is
    // hydra's timeout signal; SIGXCPU/SIGXFSZ are the launcher's own limits, and ending the
    // job cleanly beats dying and leaving the ranks behind.
    case SIGINT:
    case SIGTERM:
    case SIGHUP:
    case SIGQUIT:
    case SIGALRM:
    case SIGVTALRM:
    case SIGPROF:
    case SIGXCPU:
    case SIGXFSZ:
    case SIGIO:
    case SIGPWR:
    case SIGSTKFLT:
      return SignalAction::kForwardAndEnd;
    default:
      // Real-time signals terminate by default too. glibc keeps the first few for itself
      // (SIGRTMIN is a function for that reason).
      if (sig >= SIGRTMIN && sig <= SIGRTMAX) return SignalAction::kForwardAndEnd;
      return SignalAction::kIgnore;
  }
}

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (ActionFor(sig) != SignalAction::kIgnore) sigaddset(&set, sig);
  }
  return set;
}

}  // namespace gantry::launch
