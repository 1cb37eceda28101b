#include "classad/jdl.h"

#include <gtest/gtest.h>

#include "classad/eval.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

constexpr std::string_view kNormal = R"(
# A gLite job, without the outer brackets.
Type = "Job";
JobType = "Normal";
Executable = "/bin/sh";
Arguments = "run.sh 10";
StdOutput = "std.out";
StdError = "std.err";
InputSandbox = {"run.sh", "data.txt"};
OutputSandbox = {"std.out", "std.err"};
Environment = {"A=1", "B=two"};
RetryCount = 3;
ShallowRetryCount = 5;
VirtualOrganisation = "atlas";
Requirements = other.GlueCEStateStatus == "Production";
Rank = -other.GlueCEStateEstimatedResponseTime;
)";

TEST(JdlTest, ParsesANormalJob) {
  auto job = ParseJdl(kNormal);
  ASSERT_TRUE(job.has_value()) << job.error().message();
  EXPECT_EQ(job->job_type, JdlJobType::kNormal);
  EXPECT_EQ(job->executable, "/bin/sh");
  EXPECT_EQ(job->arguments, "run.sh 10");
  EXPECT_EQ(job->std_output, "std.out");
  EXPECT_EQ(job->std_error, "std.err");
  EXPECT_EQ(job->input_sandbox, (std::vector<std::string>{"run.sh", "data.txt"}));
  EXPECT_EQ(job->output_sandbox.size(), 2u);
  EXPECT_EQ(job->environment, (std::vector<std::string>{"A=1", "B=two"}));
  EXPECT_EQ(job->retry_count, 3);
  EXPECT_EQ(job->shallow_retry_count, 5);
  ASSERT_NE(job->requirements, nullptr);
  EXPECT_EQ(Unparse(*job->requirements), "other.GlueCEStateStatus == \"Production\"");
  ASSERT_NE(job->rank, nullptr);
  EXPECT_EQ(job->other.size(), 1u);
  EXPECT_NE(job->other.Lookup("VirtualOrganisation"), nullptr);
  auto ads = ExpandJdl(*job);
  ASSERT_TRUE(ads.has_value());
  EXPECT_EQ(ads->size(), 1u);
}

TEST(JdlTest, ExpandsAParametricJobWithIntegerBound) {
  auto job = ParseJdl(R"([
    JobType = "Parametric";
    Executable = "sim";
    Arguments = "--seed _PARAM_";
    StdOutput = "out__PARAM_.txt";
    OutputSandbox = { "out__PARAM_.txt" };
    Parameters = 10; ParameterStart = 2; ParameterStep = 3;
  ])");
  ASSERT_TRUE(job.has_value()) << job.error().message();
  EXPECT_EQ(job->parameter_values, (std::vector<std::string>{"2", "5", "8"}));
  auto ads = ExpandJdl(*job);
  ASSERT_TRUE(ads.has_value());
  ASSERT_EQ(ads->size(), 3u);
  EXPECT_EQ(Unparse(EvaluateAttr((*ads)[1], "Arguments")), "\"--seed 5\"");
  EXPECT_EQ(Unparse(EvaluateAttr((*ads)[2], "OutputSandbox")), "{ \"out_8.txt\" }");
  EXPECT_EQ(Unparse(EvaluateAttr((*ads)[0], "JobType")), "\"Normal\"");
  EXPECT_EQ((*ads)[0].Lookup("Parameters"), nullptr);
}

TEST(JdlTest, ExpandsAParametricJobWithAListOfValues) {
  auto job = ParseJdl(
      "[ JobType = \"Parametric\"; Executable = \"x\"; Arguments = \"_PARAM_\";"
      "  Parameters = { \"alpha\", \"beta\" } ]");
  ASSERT_TRUE(job.has_value()) << job.error().message();
  auto ads = ExpandJdl(*job);
  ASSERT_TRUE(ads.has_value());
  ASSERT_EQ(ads->size(), 2u);
  EXPECT_EQ(Unparse(EvaluateAttr((*ads)[1], "Arguments")), "\"beta\"");
}

TEST(JdlTest, RejectsMissingExecutable) {
  auto job = ParseJdl("[ Arguments = \"x\" ]");
  ASSERT_FALSE(job.has_value());
  EXPECT_EQ(job.error().message(), "JDL has no Executable");
}

TEST(JdlTest, RejectsUnsupportedJobType) {
  auto job = ParseJdl("[ Executable = \"x\"; JobType = \"DAG\" ]");
  ASSERT_FALSE(job.has_value());
  EXPECT_NE(job.error().message().find("DAG"), std::string::npos);
}

TEST(JdlTest, RejectsParametricWithoutParameters) {
  EXPECT_FALSE(ParseJdl("[ Executable = \"x\"; JobType = \"Parametric\" ]").has_value());
}

TEST(JdlTest, RejectsTooManyParameters) {
  EXPECT_FALSE(ParseJdl("[ Executable = \"x\"; JobType = \"Parametric\"; Parameters = "
                        "100000000000 ]")
                   .has_value());
}

TEST(JdlTest, SyntaxErrorsKeepTheirPosition) {
  auto job = ParseJdl("Executable = \"x\";\nArguments = ;\n");
  ASSERT_FALSE(job.has_value());
  EXPECT_EQ(job.error().message(), "2:13: expected an expression but found ';'");
}

TEST(JdlTest, WrongTypesAreReported) {
  auto job = ParseJdl("[ Executable = 3 ]");
  ASSERT_FALSE(job.has_value());
  EXPECT_EQ(job.error().message(), "JDL attribute Executable must be a string");
}

}  // namespace
}  // namespace gantry::classad
