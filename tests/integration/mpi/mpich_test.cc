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
  EXPECT_NE(r.err.find("rank 1 was killed by signal 9"), std::string::npos) << r.err;
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

}  // namespace
}  // namespace gantry::testing
