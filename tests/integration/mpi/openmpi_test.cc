// gantry run with real Open MPI 4.1 programs (PMIx and the flux/libgantry-pmi.so path).
#include <gtest/gtest.h>

#include <dirent.h>

#include <string>
#include <string_view>

#include "run_gantry.h"

namespace gantry::testing {
namespace {

// Open MPI on 2 shared cores: shared memory only, yield when idle, and root is allowed.
const std::vector<std::string> kOpenMpiEnv = {
    "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", "OMPI_MCA_btl=self,vader",
    "OMPI_MCA_mpi_yield_when_idle=1", "OMPI_MCA_btl_vader_single_copy_mechanism=none"};

class OpenMpiFluxTest : public ::testing::TestWithParam<int> {};

TEST_P(OpenMpiFluxTest, EveryRankSeesSizeNThroughLibgantryPmi) {
  const int n = GetParam();
  RunResult r = RunGantry({.args = {"-n", std::to_string(n), "--mpi", "flux", ALLREDUCE_OPENMPI,
                                    std::to_string(n)},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of " + std::to_string(n) + " sum " +
                                  std::to_string(n * (n - 1) / 2) + " ok"),
            n)
      << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(N, OpenMpiFluxTest, ::testing::Values(1, 2, 4, 8, 16));

class OpenMpiPmixTest : public ::testing::TestWithParam<int> {};

// The default (--mpi auto) recognizes an Open MPI executable and serves it PMIx.
TEST_P(OpenMpiPmixTest, EveryRankSeesSizeNThroughPmix) {
  const int n = GetParam();
  RunResult r = RunGantry({.args = {"-n", std::to_string(n), ALLREDUCE_OPENMPI,
                                    std::to_string(n)},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of " + std::to_string(n) + " sum " +
                                  std::to_string(n * (n - 1) / 2) + " ok"),
            n)
      << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(N, OpenMpiPmixTest, ::testing::Values(1, 2, 4, 8, 16));

// Issue 12, item 7: TMPDIR=/nonexistent failed the launch (mpirun falls back and runs).
TEST(OpenMpiTest, AnUnusableTmpdirFallsBackToTmp) {
  std::vector<std::string> env = kOpenMpiEnv;
  env.push_back("TMPDIR=/nonexistent");
  RunResult r = RunGantry({.args = {"-n", "2", ALLREDUCE_OPENMPI, "2"}, .env = env});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of 2 sum 1 ok"), 2) << r.out << r.err;
  EXPECT_NE(r.err.find("TMPDIR=/nonexistent is not usable"), std::string::npos) << r.err;
}

// Issue 12, item 8: --mpi none made one MPI job of Open MPI ranks too.
TEST(OpenMpiTest, MpiNoneStartsIndependentSingletons) {
  RunResult r = RunGantry({.args = {"-n", "2", "--mpi", "none", ALLREDUCE_OPENMPI, "1"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "rank 0 of 1 sum 0 ok"), 2) << r.out << r.err;
}

// Issue 12, item 4: ranks of two emulated nodes got local rank 0 on one host and mapped the
// same vader segment (SIGSEGV).
TEST(OpenMpiTest, FluxWithEmulatedNodesIsRefusedClearly) {
  RunResult r = RunGantry({.args = {"-n", "4", "--ppn", "2", "--mpi", "flux", ALLREDUCE_OPENMPI,
                                    "4"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--mpi flux (Open MPI) supports one node per host; drop --ppn"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(CountLines(r.out, "ok"), 0) << r.out;
}

TEST(OpenMpiTest, FluxWithOneNodePerHostStillRuns) {
  RunResult r = RunGantry({.args = {"-n", "2", "--ppn", "2", "--mpi", "flux", ALLREDUCE_OPENMPI,
                                    "2"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "of 2 sum 1 ok"), 2) << r.out << r.err;
}

}  // namespace
}  // namespace gantry::testing

namespace gantry::testing {
namespace {

int CountVaderSegments() {
  int count = 0;
  if (DIR* dir = opendir("/dev/shm")) {
    while (dirent* entry = readdir(dir)) {
      count += std::string_view(entry->d_name).starts_with("vader_segment.") ? 1 : 0;
    }
    closedir(dir);
  }
  return count;
}

TEST(OpenMpiFailureTest, AbortRemovesTheRanksSharedMemorySegments) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "4", "--mpi", "flux", MISBEHAVE_OPENMPI, "abort", "4"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

TEST(OpenMpiFailureTest, PmixAbortEndsTheJobWithTheAbortCode) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "4", "--mpi", "pmix", MISBEHAVE_OPENMPI, "abort", "6"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("rank 1 called abort with exit code 6"), std::string::npos) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

// A single rank that dies leaves no peer whose mappings name its segment: the launcher must
// have noted it at the first key exchange.
TEST(OpenMpiFailureTest, ALoneRankKilledBySignalLeavesNoSegment) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "1", MISBEHAVE_OPENMPI, "kill"}, .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 137) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

bool SessionDirectoryLeft(int gantry_pid) {
  bool found = false;
  const std::string prefix = "gantry-run." + std::to_string(gantry_pid) + ".";
  if (DIR* dir = opendir("/tmp")) {
    while (dirent* entry = readdir(dir)) {
      found = found || std::string_view(entry->d_name).starts_with(prefix);
    }
    closedir(dir);
  }
  return found;
}

// Issue 12, item 1: a rank that exits 0 without MPI_Finalize hung the job (the others spin
// in a barrier) and, killed, left vader segments behind.
TEST(OpenMpiFailureTest, ARankExitingWithoutFinalizeEndsTheJobWithStatus1) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "3", MISBEHAVE_OPENMPI, "exit"},
                           .env = kOpenMpiEnv,
                           .deadline_seconds = 30});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 1 exited without MPI_Finalize"), std::string::npos) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

// ... and when the others did not wait, gantry exited 0 and left a 4 MB segment.
TEST(OpenMpiFailureTest, ARankExitingWithoutFinalizeFailsTheJobEvenIfNobodyWaits) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "3", MISBEHAVE_OPENMPI, "exit-nowait"},
                           .env = kOpenMpiEnv,
                           .deadline_seconds = 30});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 1 exited without MPI_Finalize"), std::string::npos) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

// Issue 12, item 5: MPI_Comm_spawn gave rank 0 MPI_ERR_SPAWN and left rank 1 spinning.
TEST(OpenMpiFailureTest, MpiCommSpawnFailsTheJobThroughPmix) {
  RunResult r = RunGantry({.args = {"-n", "2", MISBEHAVE_OPENMPI, "spawn"},
                           .env = kOpenMpiEnv,
                           .deadline_seconds = 30});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 0 called MPI_Comm_spawn, which gantry run does not support"),
            std::string::npos)
      << r.err;
}

// ... and through --mpi flux (libgantry-pmi.so), where Open MPI refuses the spawn inside the
// root without a PMI request: with MPI_ERRORS_RETURN rank 1 spun forever. The spawn guard
// ends the job on either handler.
TEST(OpenMpiFailureTest, MpiCommSpawnFailsTheJobThroughFluxWhateverTheErrorHandler) {
  for (const char* handler : {"return", "fatal"}) {
    const int before = CountVaderSegments();
    RunResult r = RunGantry({.args = {"-n", "2", "--mpi", "flux", MISBEHAVE_OPENMPI, "spawn",
                                      handler},
                             .env = kOpenMpiEnv,
                             .deadline_seconds = 30});
    EXPECT_FALSE(r.timed_out) << handler;
    EXPECT_EQ(r.exit_code, 1) << handler << r.err;
    // Every rank calls it; whichever reaches the launcher first is named.
    EXPECT_NE(r.err.find("called MPI_Comm_spawn, which gantry run does not support"),
              std::string::npos)
        << handler << r.err;
    EXPECT_LE(CountVaderSegments(), before) << handler;
  }
}

// Issue 12, item 2: SIGUSR1/SIGUSR2/SIGALRM killed gantry and left ranks, segments and the
// PMIx session directory behind.
TEST(OpenMpiSignalTest, Sigusr1IsForwardedAndTheJobFinishes) {
  RunResult r = RunGantry({.args = {"-n", "2", MISBEHAVE_OPENMPI, "usr1"},
                           .env = kOpenMpiEnv,
                           .signal_when_out_has = "pid",
                           .signal = SIGUSR1,
                           .deadline_seconds = 30});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.out, "got SIGUSR1"), 2) << r.out << r.err;
  EXPECT_FALSE(SessionDirectoryLeft(r.pid));
}

TEST(OpenMpiSignalTest, SigalrmEndsTheJobAfterItsRanksAndLeavesNothing) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "2", MISBEHAVE_OPENMPI, "hang"},
                           .env = kOpenMpiEnv,
                           .signal_when_out_has = "rank 1 pid",
                           .signal = SIGALRM,
                           .deadline_seconds = 30});
  EXPECT_EQ(r.exit_code, 128 + SIGALRM) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(AllGone(PidsIn(r.out))) << r.out;
  EXPECT_LE(CountVaderSegments(), before);
  EXPECT_FALSE(SessionDirectoryLeft(r.pid));
}

TEST(OpenMpiFailureTest, ARankKilledBySignalEndsTheJobAndLeavesNoSegments) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "4", "--mpi", "flux", MISBEHAVE_OPENMPI, "kill"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 137) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

}  // namespace
}  // namespace gantry::testing
