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

TEST(OpenMpiFailureTest, ARankKilledBySignalEndsTheJobAndLeavesNoSegments) {
  const int before = CountVaderSegments();
  RunResult r = RunGantry({.args = {"-n", "4", "--mpi", "flux", MISBEHAVE_OPENMPI, "kill"},
                           .env = kOpenMpiEnv});
  EXPECT_EQ(r.exit_code, 137) << r.err;
  EXPECT_LE(CountVaderSegments(), before);
}

}  // namespace
}  // namespace gantry::testing
