// gantry run with real MPICH programs and PMI-1 clients (tests/integration/mpi/README.md).
#include <gtest/gtest.h>

#include <string>

#include "run_gantry.h"

namespace gantry::testing {
namespace {

class MpichAllreduceTest : public ::testing::TestWithParam<int> {};

TEST_P(MpichAllreduceTest, EveryRankSeesSizeNAndTheRightSum) {
  const int n = GetParam();
  RunResult r = RunGantry({.args = {"-n", std::to_string(n), ALLREDUCE_MPICH, std::to_string(n)}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of " + std::to_string(n) + " sum " +
                                  std::to_string(n * (n - 1) / 2) + " ok"),
            n)
      << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(N, MpichAllreduceTest, ::testing::Values(1, 2, 4, 8, 16));

TEST(MpichTest, EmulatedNodesWithPpnStillAgree) {
  RunResult r = RunGantry({.args = {"-n", "4", "--ppn", "2", ALLREDUCE_MPICH, "4"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of 4 sum 6 ok"), 4) << r.out << r.err;
}

TEST(MpichTest, PmiOverTcpWithInitack) {
  RunResult r = RunGantry({.args = {"-n", "4", "--pmi-port", ALLREDUCE_MPICH, "4"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of 4 sum 6 ok"), 4) << r.out << r.err;
}

TEST(MpichTest, MpiAbortEndsTheJobWithTheAbortCode) {
  RunResult r = RunGantry({.args = {"-n", "4", MISBEHAVE_MPICH, "abort", "7"}});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("rank 1 called abort with exit code 7"), std::string::npos) << r.err;
  EXPECT_FALSE(r.timed_out);
}

TEST(MpichTest, ARankKilledBySignalEndsTheJobWith137) {
  RunResult r = RunGantry({.args = {"-n", "4", MISBEHAVE_MPICH, "kill"}});
  EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
  EXPECT_NE(r.err.find("rank 1 killed by signal 9 (SIGKILL)"), std::string::npos) << r.err;
}

TEST(PmiClientTest, GantryLibraryGetsFromSharedMemory) {
  RunResult r = RunGantry({.args = {"-n", "4", PMI_CLIENT}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "ok shm=1"), 4) << r.out << r.err;
}

TEST(PmiClientTest, GantryLibraryWorksOverTheWireWithoutSharedMemory) {
  RunResult r = RunGantry({.args = {"-n", "3", "--no-shm", "--ppn", "2", PMI_CLIENT}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "ok shm=0"), 3) << r.out << r.err;
}

TEST(PmiClientTest, GantryLibraryWorksOverTcp) {
  RunResult r = RunGantry({.args = {"-n", "3", "--pmi-port", PMI_CLIENT}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "ok shm=1"), 3) << r.out << r.err;
}

TEST(PmiFailureTest, GarbageFromAClientEndsTheJobWithAClearError) {
  RunResult r = RunGantry({.args = {"-n", "3", BAD_CLIENT, "garbage"}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 0 broke the PMI protocol"), std::string::npos) << r.err;
  EXPECT_LT(r.seconds, 30);
}

TEST(PmiFailureTest, AnOverlongLineEndsTheJob) {
  RunResult r = RunGantry({.args = {"-n", "2", BAD_CLIENT, "longline"}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 0 sent a PMI line"), std::string::npos) << r.err;
}

TEST(PmiFailureTest, DisconnectingInTheMiddleOfABarrierEndsTheJob) {
  RunResult r = RunGantry({.args = {"-n", "3", BAD_CLIENT, "disconnect"}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("in the middle of barrier 0"), std::string::npos) << r.err;
}

// Issue 12, item 5: a PMI-1 spawn request ends the job, named as what it is.
TEST(PmiFailureTest, ASpawnRequestEndsTheJob) {
  RunResult r = RunGantry({.args = {"-n", "3", BAD_CLIENT, "spawn"}, .deadline_seconds = 30});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 0 called MPI_Comm_spawn, which gantry run does not support"),
            std::string::npos)
      << r.err;
}

// The guard goes first in LD_PRELOAD and keeps the user's preloads; a program that is not
// linked with MPI (under --mpi auto) is spared the preload.
TEST(RunTest, TheSpawnGuardIsPreloadedForMpiRanksOnly) {
  RunResult guarded = RunGantry({.args = {"-n", "1", "--mpi", "pmi1", "sh", "-c",
                                          "echo \"[$LD_PRELOAD]\""},
                                 .env = {"LD_PRELOAD=libm.so.6"}});
  EXPECT_EQ(guarded.exit_code, 0) << guarded.err;
  EXPECT_NE(guarded.out.find("libgantry-spawn-guard.so:libm.so.6]"), std::string::npos)
      << guarded.out;
  RunResult plain = RunGantry({.args = {"-n", "1", "sh", "-c", "echo \"[${LD_PRELOAD-}]\""}});
  EXPECT_EQ(plain.out, "[]\n") << plain.err;
}

TEST(RunTest, LabelPrefixesEveryLineWithTheRank) {
  RunResult r = RunGantry({.args = {"-n", "2", "--label", "sh", "-c", "echo a; echo b"}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(CountLines(r.out, "0: a"), 1) << r.out;
  EXPECT_EQ(CountLines(r.out, "1: b"), 1) << r.out;
}

TEST(RunTest, StdinGoesToRankZeroOnly) {
  RunResult r = RunGantry({.args = {"-n", "3", "--label", "cat"}, .stdin_data = "hello\n"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "0: hello\n");
}

TEST(RunTest, ExitStatusIsTheFirstNonZeroOne) {
  RunResult r = RunGantry({.args = {"-n", "3", "sh", "-c", "[ $PMI_RANK = 2 ] && exit 5; sleep 30"}});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_LT(r.seconds, 20);
}

TEST(RunTest, SigtermIsForwardedToEveryRank) {
  RunResult r = RunGantry({.args = {"-n", "2", "sh", "-c", "echo up; exec sleep 30"},
                           .signal_when_out_has = "up\nup\n"});
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r.err;
  EXPECT_LT(r.seconds, 20);
}

TEST(RunTest, MissingProgramIs127) {
  RunResult r = RunGantry({.args = {"-n", "2", "/nonexistent/program"}});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("/nonexistent/program"), std::string::npos);
}

// Issue 12, item 10: `./nosuch` said "not an executable file".
TEST(RunTest, AMissingProgramSaysNoSuchFileAndANonExecutableOneIs126) {
  RunResult missing = RunGantry({.args = {"-n", "1", "./no-such-program"}});
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_NE(missing.err.find("./no-such-program: no such file"), std::string::npos)
      << missing.err;
  RunResult plain = RunGantry({.args = {"-n", "1", "/etc/passwd"}});
  EXPECT_EQ(plain.exit_code, 126);
  EXPECT_NE(plain.err.find("not executable"), std::string::npos) << plain.err;
}

// Issue 12, item 10: -n 99999999999999 said "needs a non-negative number".
TEST(RunTest, AHugeRankCountSaysItIsTooLarge) {
  RunResult r = RunGantry({.args = {"-n", "99999999999999", "true"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("-n 99999999999999 is too large (at most 1000000)"), std::string::npos)
      << r.err;
}

// Issue 12, item 10: when the grace ran out after a SIGTERM, gantry exited 137 silently.
TEST(RunTest, KillGraceRunningOutSaysWhy) {
  RunResult r = RunGantry({.args = {"-n", "2", "--kill-grace=200", "sh", "-c",
                                    "trap '' TERM; echo up; exec sleep 30"},
                           .signal_when_out_has = "up\nup\n",
                           .deadline_seconds = 20});
  EXPECT_EQ(r.exit_code, 137) << r.err;
  EXPECT_NE(r.err.find("2 rank(s) still running 200 ms after SIGTERM (--kill-grace): killing "
                       "them with SIGKILL"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(r.timed_out);
}

// Issue 12, item 9: --opt=value was "unknown option"; hydra's and mpirun's spellings work.
TEST(RunTest, OptionEqualsValueAndHydraSpellings) {
  RunResult r = RunGantry({.args = {"--ntasks=2", "--ppn=1", "--mpi=pmi1", "--kill-grace=100",
                                    "--label", "sh", "-c", "echo $PMI_SIZE $GANTRY_NODE"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "0: 2 0"), 1) << r.out;
  EXPECT_EQ(CountLines(r.out, "1: 2 1"), 1) << r.out;
  RunResult h = RunGantry({.args = {"-np", "2", "-ppn", "1", "-genv", "A", "one two", "-x",
                                    "B=3", "-x", "GANTRY_TEST_X", "sh", "-c",
                                    "echo \"$A/$B/$GANTRY_TEST_X\""},
                           .env = {"GANTRY_TEST_X=from-env"}});
  EXPECT_EQ(h.exit_code, 0) << h.err;
  EXPECT_EQ(CountLines(h.out, "one two/3/from-env"), 2) << h.out;
}

TEST(MpichTest, HydraSpellingsRunAnMpiJob) {
  RunResult r = RunGantry({.args = {"-np", "4", "-ppn", "2", ALLREDUCE_MPICH, "4"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of 4 sum 6 ok"), 4) << r.out << r.err;
}

// Issue 12, item 8: --mpi none still served PMI-1 (one MPI job of N ranks).
TEST(MpichTest, MpiNoneStartsIndependentSingletons) {
  RunResult r = RunGantry({.args = {"-n", "3", "--mpi", "none", ALLREDUCE_MPICH, "1"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "rank 0 of 1 sum 0 ok"), 3) << r.out << r.err;
}

TEST(RunTest, MpiNoneSetsNoPmiVariables) {
  RunResult r = RunGantry(
      {.args = {"-n", "2", "--mpi", "none", "sh", "-c", "env | grep -E '^(PMI_|MPI_LOCAL)'; "
                                                        "echo rank $GANTRY_RANK"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "PMI_"), 0) << r.out;
  EXPECT_EQ(CountLines(r.out, "MPI_LOCAL"), 0) << r.out;
  EXPECT_EQ(CountLines(r.out, "rank "), 2) << r.out;
}

// Issue 12, item 7: "Too many open files" exited 127, the status of a missing program.
TEST(RunTest, RunningOutOfDescriptorsIsALauncherFailure) {
  RunResult r = RunGantry({.args = {"-n", "64", "--label", "true"}, .max_open_files = 200});
  EXPECT_EQ(r.exit_code, 125) << r.err;
  EXPECT_NE(r.err.find("Too many open files (ulimit -n is 200"), std::string::npos) << r.err;
}

// Issue 12, item 6: with --label a closed stdout was ignored and the job ran to its end.
TEST(RunTest, AClosedStdoutEndsALabelledJobWith141) {
  const std::string script =
      "for i in $(seq 100); do echo line $i; sleep .1; done; echo finished >&2";
  RunResult r = RunGantry({.args = {"-n", "2", "--label", "bash", "-c", script},
                           .close_out_when_has = "line 1\n",
                           .deadline_seconds = 30});
  EXPECT_EQ(r.exit_code, 141) << r.err;
  EXPECT_EQ(r.err.find("finished"), std::string::npos) << r.err;
  RunResult plain = RunGantry({.args = {"-n", "2", "bash", "-c", script},
                               .close_out_when_has = "line 1\n",
                               .deadline_seconds = 30});
  EXPECT_EQ(plain.exit_code, 141) << plain.err;
  EXPECT_EQ(plain.err.find("finished"), std::string::npos) << plain.err;
}

// Issue 12, item 2: SIGUSR1 killed gantry (138) and left the ranks running.
TEST(MpichTest, Sigusr1IsForwardedToEveryRankAndTheJobGoesOn) {
  RunResult r = RunGantry({.args = {"-n", "2", MISBEHAVE_MPICH, "usr1"},
                           .signal_when_out_has = "pid",
                           .signal = SIGUSR1});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "got SIGUSR1"), 2) << r.out << r.err;
}

TEST(RunTest, Sigusr2IsForwardedToEveryRank) {
  RunResult r = RunGantry({.args = {"-n", "2", "bash", "-c",
                                    // No child: a signal to the group while bash
                                    // forks could land in the fork before its exec.
                                    "trap 'echo got USR2; exit 0' USR2; echo pid $$; "
                                    "while :; do :; done"},
                           .signal_when_out_has = "pid",
                           .signal_when_count = 2,
                           .signal = SIGUSR2,
                           .deadline_seconds = 30});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "got USR2"), 2) << r.out << r.err;
}

// Issue 12, item 2: SIGALRM killed gantry (142) before its ranks.
TEST(RunTest, SigalrmEndsTheJobAfterItsRanks) {
  RunResult r = RunGantry({.args = {"-n", "2", "sh", "-c", "echo pid $$; exec sleep 30"},
                           .signal_when_out_has = "pid",
                           .signal = SIGALRM,
                           .deadline_seconds = 20});
  EXPECT_EQ(r.exit_code, 128 + SIGALRM) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(AllGone(PidsIn(r.out))) << r.out;
}

// Issue 12, item 3: SIGKILL of gantry left MPICH ranks running until they finished.
TEST(MpichTest, RanksDieWithAKilledLauncher) {
  RunResult r = RunGantry({.args = {"-n", "2", MISBEHAVE_MPICH, "hang"},
                           .signal_when_out_has = "rank 1 pid",
                           .signal = SIGKILL,
                           .deadline_seconds = 30});
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
  EXPECT_FALSE(r.timed_out) << "the ranks kept gantry's stdout open";
  std::vector<int> pids = PidsIn(r.out);
  EXPECT_FALSE(pids.empty()) << r.out;
  EXPECT_TRUE(AllGone(pids)) << r.out;
}

// 16 ranks are spawned by helper threads too; their parent-death signal is tied to the
// thread that spawned them, so those threads must live as long as the launcher.
TEST(RunTest, RanksSpawnedByHelperThreadsOutliveTheStartUpAndDieWithTheLauncher) {
  RunResult fine = RunGantry({.args = {"-n", "16", "sh", "-c", "sleep 0.5; echo ok"}});
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_EQ(CountLines(fine.out, "ok"), 16) << fine.out << fine.err;
  RunResult killed = RunGantry({.args = {"-n", "16", "--label", "sh", "-c",
                                         "echo pid $$; exec sleep 60"},
                                .signal_when_out_has = "15: pid",
                                .signal = SIGKILL,
                                .deadline_seconds = 30});
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL);
  std::vector<int> pids = PidsIn(killed.out);
  EXPECT_FALSE(pids.empty()) << killed.out;
  EXPECT_TRUE(AllGone(pids)) << killed.out;
}

// Issue 12, item 5: MPICH 4.0.2 refuses the spawn on every rank itself (no PMI request), so
// with MPI_ERRORS_RETURN the job went on; libgantry-spawn-guard.so now ends it on both
// handlers, with the message of the PMIx path.
TEST(MpichTest, MpiCommSpawnFailsTheJobWhateverTheErrorHandler) {
  for (const char* handler : {"fatal", "return"}) {
    RunResult r = RunGantry({.args = {"-n", "2", MISBEHAVE_MPICH, "spawn", handler},
                             .deadline_seconds = 30});
    EXPECT_FALSE(r.timed_out) << handler;
    EXPECT_EQ(r.exit_code, 1) << handler << r.err;
    EXPECT_NE(r.err.find("called MPI_Comm_spawn, which gantry run does not support"),
              std::string::npos)
        << handler << r.err;
    EXPECT_EQ(CountLines(r.out, "spawn failed"), 0) << handler << r.out;
  }
}

}  // namespace
}  // namespace gantry::testing
