#include "agent/job_scripts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::agent {
namespace {

class JobScriptsTest : public ::testing::Test {
 protected:
  TempDir temp_{"job_scripts_test"};
  const std::string dir_ = temp_.path();
};

TEST_F(JobScriptsTest, AttemptsWithTheSameTextShareOneScript) {
  JobScripts scripts(dir_);
  auto first = scripts.Acquire("#!/bin/sh\necho hi\n", std::nullopt);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(ReadFile(*first).value_or(""), "#!/bin/sh\necho hi\n");
  struct stat st;
  ASSERT_EQ(stat(first->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto second = scripts.Acquire("#!/bin/sh\necho hi\n", std::nullopt);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, *first);
  auto other = scripts.Acquire("#!/bin/sh\necho other\n", std::nullopt);
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(*other, *first);
  EXPECT_EQ(ReadFile(*other).value_or(""), "#!/bin/sh\necho other\n");

  // Unheld, it is kept for the next attempt with the same text.
  scripts.Release(*first);
  scripts.Release(*first);
  scripts.Release(*first);  // one too many: ignored
  EXPECT_TRUE(FileExists(*first));
  auto again = scripts.Acquire("#!/bin/sh\necho hi\n", std::nullopt);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *first);
}

TEST_F(JobScriptsTest, OnlySoManyUnheldScriptsAreKept) {
  JobScripts scripts(dir_);
  std::vector<std::string> paths;
  for (size_t i = 0; i <= JobScripts::kIdleKept; ++i) {
    auto path = scripts.Acquire("#!/bin/sh\necho " + std::to_string(i) + "\n", std::nullopt);
    ASSERT_TRUE(path.has_value());
    paths.push_back(*path);
  }
  for (const std::string& path : paths) scripts.Release(path);
  EXPECT_FALSE(FileExists(paths.front())) << "the oldest unheld script goes";
  for (size_t i = 1; i < paths.size(); ++i) EXPECT_TRUE(FileExists(paths[i])) << i;
  auto back = scripts.Acquire("#!/bin/sh\necho 0\n", std::nullopt);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(ReadFile(*back).value_or(""), "#!/bin/sh\necho 0\n") << "written afresh";
}

TEST_F(JobScriptsTest, KeptScriptsGoWithTheAgent) {
  std::string path;
  {
    JobScripts scripts(dir_);
    auto script = scripts.Acquire("#!/bin/sh\ntrue\n", std::nullopt);
    ASSERT_TRUE(script.has_value());
    path = *script;
    scripts.Release(path);
    EXPECT_TRUE(FileExists(path));
  }
  EXPECT_FALSE(FileExists(path));
}

TEST_F(JobScriptsTest, ScriptsLeftByAnEarlierAgentAreRemoved) {
  ASSERT_TRUE(WriteNewFile(dir_ + "/7", "#!/bin/sh\n").has_value());
  JobScripts scripts(dir_);
  EXPECT_FALSE(FileExists(dir_ + "/7"));
  auto script = scripts.Acquire("#!/bin/sh\ntrue\n", std::nullopt);
  ASSERT_TRUE(script.has_value()) << script.error().ToString();
}

TEST_F(JobScriptsTest, AFailedWriteIsAnErrorAndHoldsNothing) {
  JobScripts scripts(dir_ + "/missing");
  auto script = scripts.Acquire("#!/bin/sh\n", std::nullopt);
  ASSERT_FALSE(script.has_value());
  EXPECT_NE(script.error().message().find("missing/"), std::string::npos)
      << script.error().message();
  ASSERT_EQ(mkdir((dir_ + "/missing").c_str(), 0755), 0);
  auto later = scripts.Acquire("#!/bin/sh\n", std::nullopt);
  ASSERT_TRUE(later.has_value()) << "the failed attempt left nothing behind that would skip the write";
  EXPECT_EQ(ReadFile(*later).value_or(""), "#!/bin/sh\n");
}

}  // namespace
}  // namespace gantry::agent
