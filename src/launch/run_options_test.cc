#include "launch/run_options.h"

#include <gtest/gtest.h>

#include <cstring>

namespace gantry::launch {
namespace {

const char* FakeEnv(const char* name) {
  return std::strcmp(name, "HOME") == 0 ? "/home/u" : nullptr;
}

Result<RunArguments> Parse(std::vector<std::string> args) {
  return ParseRunArguments(args, FakeEnv);
}

TEST(RunOptionsTest, ParsesOptionsUpToTheProgram) {
  auto r = Parse({"-n", "4", "--ppn", "2", "-l", "--mpi", "pmi1", "prog", "-n", "9"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->options.size, 4);
  EXPECT_TRUE(r->have_size);
  EXPECT_EQ(r->options.ppn, 2);
  EXPECT_TRUE(r->options.label);
  EXPECT_EQ(r->options.mpi, MpiMode::kPmi1);
  EXPECT_EQ(r->options.argv, (std::vector<std::string>{"prog", "-n", "9"}));
}

// --mpi=pmix, --kill-grace=100, --ntasks=2, --ppn=1 used to be "unknown option".
TEST(RunOptionsTest, AcceptsOptionEqualsValueForEveryOptionWithAValue) {
  auto r = Parse({"--ntasks=2", "--ppn=1", "--mpi=pmix", "--kill-grace=100", "--np=3", "x"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->options.size, 3);
  EXPECT_EQ(r->options.ppn, 1);
  EXPECT_EQ(r->options.mpi, MpiMode::kPmix);
  EXPECT_EQ(r->options.kill_grace_ms, 100);
  EXPECT_FALSE(Parse({"--label=1", "x"}).has_value());
}

TEST(RunOptionsTest, AcceptsHydraAndMpirunSpellings) {
  auto r = Parse({"-np", "8", "-ppn", "4", "-genv", "A", "1 2", "-x", "B=3", "-x", "HOME",
                  "--", "-prog"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->options.size, 8);
  EXPECT_EQ(r->options.ppn, 4);
  EXPECT_EQ(r->options.env, (std::vector<std::string>{"A=1 2", "B=3", "HOME=/home/u"}));
  EXPECT_EQ(r->options.argv, (std::vector<std::string>{"-prog"}));
}

TEST(RunOptionsTest, EnvironmentOptionsNeedANameAndAValue) {
  EXPECT_NE(Parse({"-x", "UNSET_VAR", "p"}).error().message().find("UNSET_VAR is not set"),
            std::string::npos);
  EXPECT_FALSE(Parse({"-genv", "A"}).has_value());
  EXPECT_FALSE(Parse({"-genv", "A=1", "2", "p"}).has_value());
  EXPECT_FALSE(Parse({"-x", "=1", "p"}).has_value());
}

// -n 99999999999999 used to say "needs a non-negative number".
TEST(RunOptionsTest, NumbersSayWhatIsWrongWithThem) {
  EXPECT_EQ(Parse({"-n", "99999999999999", "p"}).error().message(),
            "-n 99999999999999 is too large (at most 1000000)");
  EXPECT_EQ(Parse({"-n", "abc", "p"}).error().message(), "-n needs a whole number, got 'abc'");
  EXPECT_EQ(Parse({"-n", "0", "p"}).error().message(), "-n must be at least 1 (got 0)");
  EXPECT_EQ(Parse({"--ppn=-2", "p"}).error().message(), "--ppn needs a whole number, got '-2'");
  EXPECT_EQ(Parse({"-n"}).error().message(), "-n needs a number");
  EXPECT_TRUE(Parse({"--kill-grace", "0", "p"}).has_value());
}

TEST(RunOptionsTest, UnknownOptionsAndHelp) {
  EXPECT_EQ(Parse({"--bogus", "p"}).error().message(), "unknown option '--bogus'");
  EXPECT_EQ(Parse({"--bogus=1", "p"}).error().message(), "unknown option '--bogus'");
  EXPECT_TRUE(Parse({"-h"})->help);
  EXPECT_NE(Parse({"--mpi", "x", "p"}).error().message().find("--mpi must be one of"),
            std::string::npos);
}

}  // namespace
}  // namespace gantry::launch
