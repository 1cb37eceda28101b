#include "agent/job_scripts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"

namespace gantry::agent {
namespace {

class JobScriptsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/job_scripts_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(JobScriptsTest, AJobsAttemptsShareOneScriptUntilTheLastOneEnds) {
  JobScripts scripts(dir_);
  auto first = scripts.Acquire(12, "#!/bin/sh\necho hi\n", std::nullopt);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(ReadFile(*first).value_or(""), "#!/bin/sh\necho hi\n");
  struct stat st;
  ASSERT_EQ(stat(first->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto second = scripts.Acquire(12, "#!/bin/sh\necho hi\n", std::nullopt);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, *first);
  auto other = scripts.Acquire(13, "#!/bin/sh\necho other\n", std::nullopt);
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(*other, *first);

  scripts.Release(12);
  EXPECT_TRUE(FileExists(*first)) << "an attempt of job 12 still holds it";
  scripts.Release(12);
  EXPECT_FALSE(FileExists(*first));
  EXPECT_TRUE(FileExists(*other));
  scripts.Release(12);  // one too many: ignored
  scripts.Release(13);
  EXPECT_FALSE(FileExists(*other));

  // A later attempt of the same job writes it afresh.
  auto again = scripts.Acquire(12, "#!/bin/sh\necho again\n", std::nullopt);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(ReadFile(*again).value_or(""), "#!/bin/sh\necho again\n");
}

TEST_F(JobScriptsTest, ScriptsLeftByAnEarlierAgentAreRemoved) {
  ASSERT_TRUE(WriteNewFile(dir_ + "/7", "#!/bin/sh\n").has_value());
  JobScripts scripts(dir_);
  EXPECT_FALSE(FileExists(dir_ + "/7"));
  auto script = scripts.Acquire(7, "#!/bin/sh\ntrue\n", std::nullopt);
  ASSERT_TRUE(script.has_value()) << script.error().ToString();
}

TEST_F(JobScriptsTest, AFailedWriteIsAnErrorAndHoldsNothing) {
  JobScripts scripts(dir_ + "/missing");
  auto script = scripts.Acquire(3, "#!/bin/sh\n", std::nullopt);
  ASSERT_FALSE(script.has_value());
  EXPECT_NE(script.error().message().find("missing/3"), std::string::npos)
      << script.error().message();
  ASSERT_EQ(mkdir((dir_ + "/missing").c_str(), 0755), 0);
  EXPECT_TRUE(scripts.Acquire(3, "#!/bin/sh\n", std::nullopt).has_value())
      << "the failed attempt left no holder behind that would skip the write";
}

}  // namespace
}  // namespace gantry::agent
