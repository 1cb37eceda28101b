#include "exec/program_path.h"

#include <gtest/gtest.h>

namespace gantry::exec {
namespace {

TEST(ProgramPathTest, TheSearchPathComesFromTheEnvironmentOrTheDefault) {
  EXPECT_EQ(SearchPathOf({"HOME=/root", "PATH=/opt/bin:/bin"}), "/opt/bin:/bin");
  EXPECT_EQ(SearchPathOf({"HOME=/root", "XPATH=/x"}), kDefaultSearchPath);
}

TEST(ProgramPathTest, CandidatesFollowThePathAndAnEmptyEntryIsTheCurrentDirectory) {
  EXPECT_EQ(ProgramCandidates("sh", "/usr/bin::/bin"),
            (std::vector<std::string>{"/usr/bin/sh", "./sh", "/bin/sh"}));
  EXPECT_EQ(ProgramCandidates("./run.sh", "/usr/bin"), std::vector<std::string>{"./run.sh"});
}

TEST(ProgramPathTest, ResolvesProgramsThroughThePath) {
  auto sh = ResolveProgram("sh", kDefaultSearchPath);
  ASSERT_TRUE(sh.has_value());
  EXPECT_EQ(sh->front(), '/');
  EXPECT_EQ(ResolveProgram("sh", "/no/such/dir").error().message(),
            "sh: command not found in PATH");
  EXPECT_EQ(ResolveProgram("no-such-program-gantry", kDefaultSearchPath).error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(ResolveProgram("", kDefaultSearchPath).error().code(), ErrorCode::kInvalidArgument);
}

// `./nosuch` used to say "not an executable file".
TEST(ProgramPathTest, AMissingPathSaysNoSuchFileAndANonExecutableOneSaysSo) {
  auto missing = ResolveProgram("./no-such-program-gantry", kDefaultSearchPath);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "./no-such-program-gantry: no such file");
  auto plain = ResolveProgram("/etc/passwd", kDefaultSearchPath);
  EXPECT_EQ(plain.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(plain.error().message().find("not executable"), std::string::npos);
  EXPECT_EQ(ResolveProgram("/etc", kDefaultSearchPath).error().message(), "/etc: is a directory");
}

}  // namespace
}  // namespace gantry::exec
