#include "model/sandbox.h"

#include <gtest/gtest.h>

#include "model/job_spec_json.h"
#include "model/limits.h"

namespace gantry::model {
namespace {

TEST(SandboxTest, AcceptsRelativeNames) {
  EXPECT_TRUE(CheckSandboxName("input file", "in.txt"));
  EXPECT_TRUE(CheckSandboxName("input file", "data/in.txt"));
  EXPECT_TRUE(CheckSandboxName("input file", ".hidden"));
}

TEST(SandboxTest, RefusesNamesThatLeaveTheWorkingDirectory) {
  for (const char* name : {"/etc/passwd", "../x", "a/../../x", "a//b", "./a", "dir/", ""}) {
    auto s = CheckSandboxName("output file", name);
    EXPECT_FALSE(s) << name;
  }
  EXPECT_EQ(CheckSandboxName("output file", "../up").error().message(),
            "output file '../up' has a '..' component: sandbox names stay inside the job's "
            "working directory");
}

JobSpec WithInputs(int64_t each, int count) {
  JobSpec s;
  for (int i = 0; i < count; ++i) {
    s.input_files.push_back({"f" + std::to_string(i), "/sub/f", std::string(each, 'x')});
  }
  return s;
}

TEST(SandboxTest, LimitsTheInputSandboxSize) {
  EXPECT_TRUE(ValidateSandbox(WithInputs(kMaxInputSandboxBytes / 2, 2)));
  auto big = ValidateSandbox(WithInputs(kMaxInputSandboxBytes / 2 + 1, 2));
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message().find("the input sandbox is too big: with 'f1'"),
            std::string::npos)
      << big.error().message();
  EXPECT_NE(big.error().message().find("more than the 8.0 MiB"), std::string::npos);
}

TEST(SandboxTest, LimitsTheFileCountAndRefusesDuplicates) {
  EXPECT_FALSE(ValidateSandbox(WithInputs(1, kMaxSandboxFiles + 1)));
  JobSpec twice = WithInputs(1, 1);
  twice.input_files.push_back(twice.input_files[0]);
  EXPECT_FALSE(ValidateSandbox(twice));
}

TEST(SandboxTest, RoundTripsThroughJsonWithBinaryContent) {
  JobSpec s;
  s.script = "#!/bin/sh\n";
  s.submit_dir = s.working_dir = "/sub";
  s.input_files.push_back({"bin.dat", "/sub/bin.dat", std::string("\0\xff\x01z", 4)});
  s.output_files = {"out/result.txt"};
  auto back = JobSpecFromJson(JobSpecToJson(s));
  ASSERT_TRUE(back) << back.error().message();
  ASSERT_EQ(back->input_files.size(), 1u);
  EXPECT_EQ(back->input_files[0].name, "bin.dat");
  EXPECT_EQ(back->input_files[0].source, "/sub/bin.dat");
  EXPECT_EQ(back->input_files[0].content, std::string("\0\xff\x01z", 4));
  EXPECT_EQ(back->output_files, std::vector<std::string>{"out/result.txt"});
}

TEST(SandboxTest, RefusesContentThatIsNotBase64) {
  nlohmann::json j = JobSpecToJson(JobSpec{});
  j["input_files"] = {{{"name", "a"}, {"source", "a"}, {"content_base64", "!!!"}}};
  auto s = JobSpecFromJson(j);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "field 'input_files[0].content_base64' is not base64");
}

}  // namespace
}  // namespace gantry::model
