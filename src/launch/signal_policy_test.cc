#include "launch/signal_policy.h"

#include <gtest/gtest.h>

namespace gantry::launch {
namespace {

// SIGUSR1/SIGUSR2/SIGALRM used to kill gantry and leave its ranks running.
TEST(SignalPolicyTest, UserSignalsAreForwardedAndTheJobGoesOn) {
  EXPECT_EQ(ActionFor(SIGUSR1), SignalAction::kForward);
  EXPECT_EQ(ActionFor(SIGUSR2), SignalAction::kForward);
}

TEST(SignalPolicyTest, TerminatingSignalsAreForwardedAndEndTheJob) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
                  SIGXFSZ, SIGIO, SIGPWR, SIGRTMIN, SIGRTMAX}) {
    EXPECT_EQ(ActionFor(sig), SignalAction::kForwardAndEnd) << sig;
  }
}

// No catchable signal whose default action ends a process may end gantry before its ranks.
TEST(SignalPolicyTest, EveryAsynchronousTerminatingSignalIsHandled) {
  sigset_t handled = HandledSignals();
  const int synchronous[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT};
  const int not_terminating[] = {SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,
                                 SIGURG, SIGWINCH, SIGKILL, SIGPIPE};
  for (int sig = 1; sig < NSIG; ++sig) {
    bool skip = false;
    for (int s : synchronous) skip = skip || s == sig;
    for (int s : not_terminating) skip = skip || s == sig;
    if (sig > SIGSYS && sig < SIGRTMIN) skip = true;  // glibc's own (SIGCANCEL, SIGSETXID)
    if (skip) continue;
    EXPECT_TRUE(sigismember(&handled, sig)) << "signal " << sig;
  }
  EXPECT_TRUE(sigismember(&handled, SIGCHLD));
  EXPECT_FALSE(sigismember(&handled, SIGPIPE));  // ignored: EPIPE is handled where it occurs
  EXPECT_FALSE(sigismember(&handled, SIGSEGV));
}

}  // namespace
}  // namespace gantry::launch
