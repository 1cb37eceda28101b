#include "submit/jdl_to_spec.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gantry::submit {
namespace {

const std::map<std::string, std::string> kEnv = {
    {"HOME", "/home/alice"}, {"PATH", "/usr/bin:/bin"}, {"USER", "alice"}, {"EDITOR", "vi"}};

model::JobSpec Convert(std::string_view jdl) {
  Result<model::JobSpec> r = JdlToJobSpec(jdl, "job.jdl", "/home/alice/work", kEnv);
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return r.value_or(model::JobSpec{});
}

std::string ErrorOf(std::string_view jdl) {
  Result<model::JobSpec> r = JdlToJobSpec(jdl, "job.jdl", "/home/alice/work", kEnv);
  return r ? "(accepted)" : r.error().message();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a generated script with /bin/sh in a fresh temp directory as array task `task`;
// returns what it printed (stdout and stderr). `dir` receives the directory.
class ScriptRun {
 public:
  ScriptRun() {
    char tmpl[] = "/tmp/jdl_to_spec_test.XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~ScriptRun() { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  const std::string& dir() const { return dir_; }

  std::string Run(const std::string& script, int task = -1) {
    std::ofstream(dir_ + "/job.sh") << script;
    std::string env = task >= 0 ? "GANTRY_ARRAY_TASK_ID=" + std::to_string(task) + " " : "";
    std::string cmd = "cd '" + dir_ + "' && " + env + "/bin/sh job.sh >run.out 2>&1";
    status_ = std::system(cmd.c_str());
    return ReadAll(dir_ + "/run.out");
  }
  int status() const { return status_; }

 private:
  std::string dir_;
  int status_ = -1;
};

TEST(JdlToJobSpecTest, NormalJobExecsTheExecutableWithShellSplitArguments) {
  model::JobSpec spec = Convert(R"([
    Executable = "/bin/echo";
    Arguments = "hello \"big   world\" 'it''s'";
    StdOutput = "out.txt";
    StdError = "err.txt";
  ])");
  EXPECT_EQ(spec.name, "job.jdl");
  EXPECT_EQ(spec.working_dir, "/home/alice/work");
  EXPECT_EQ(spec.submit_dir, "/home/alice/work");
  EXPECT_EQ(spec.stdout_pattern, "out.txt");
  EXPECT_EQ(spec.stderr_pattern, "err.txt");
  EXPECT_FALSE(spec.array.has_value());
  EXPECT_TRUE(spec.script.starts_with("#!/bin/sh\n"));
  ScriptRun run;
  EXPECT_EQ(run.Run(spec.script), "hello big   world its\n");
}

TEST(JdlToJobSpecTest, RelativeExecutableIsTakenFromTheSubmitDirectoryAndQuoted) {
  Result<model::JobSpec> spec = JdlToJobSpec(R"(Executable = "./my job's.sh";)", "a/job.jdl",
                                             "/home/al ice", kEnv);
  ASSERT_TRUE(spec.has_value()) << spec.error().message();
  EXPECT_NE(spec->script.find("exec '/home/al ice/my job'\\''s.sh'\n"), std::string::npos)
      << spec->script;
  EXPECT_EQ(spec->name, "job.jdl");
}

TEST(JdlToJobSpecTest, EnvironmentIsTheJdlsPlusPathHomeAndUserOnly) {
  model::JobSpec spec = Convert(R"([ Executable = "/bin/true";
      Environment = { "A=1", "PATH=/opt/bin", "B=x=y" } ])");
  std::map<std::string, std::string> want = {
      {"A", "1"}, {"B", "x=y"}, {"PATH", "/opt/bin"}, {"HOME", "/home/alice"}, {"USER", "alice"}};
  EXPECT_EQ(spec.environment, want);
  EXPECT_EQ(ErrorOf(R"([ Executable = "/bin/true"; Environment = { "NOEQUALS" } ])"),
            "job.jdl: Environment entry \"NOEQUALS\" is not of the form \"NAME=value\"");
}

TEST(JdlToJobSpecTest, RetryCountBecomesMaxRetriesWithinGantrysBound) {
  EXPECT_EQ(Convert(R"([ Executable = "/bin/true"; RetryCount = 3 ])").max_retries, 3);
  EXPECT_EQ(ErrorOf(R"([ Executable = "/bin/true"; RetryCount = 101 ])"),
            "job.jdl: RetryCount 101 is more than Gantry allows (100)");
}

TEST(JdlToJobSpecTest, ShallowRetryCountIsRecordedWithAWarning) {
  model::JobSpec spec = Convert(R"([ Executable = "/bin/true"; ShallowRetryCount = 2 ])");
  EXPECT_EQ(spec.attributes.at("ShallowRetryCount"), "2");
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_NE(spec.warnings[0].find("ShallowRetryCount"), std::string::npos);
}

TEST(JdlToJobSpecTest, SandboxesBecomeInputAndOutputFiles) {
  model::JobSpec spec = Convert(R"([ Executable = "/bin/true";
      InputSandbox = { "in.dat", "data/more.dat" }; OutputSandbox = { "out.dat", "./res/r.txt" } ])");
  EXPECT_EQ(spec.attributes.at("InputSandbox"), "{ \"in.dat\", \"data/more.dat\" }");
  ASSERT_EQ(spec.input_files.size(), 2u);
  EXPECT_EQ(spec.input_files[1].name, "more.dat");  // lands by name, as gLite's did
  EXPECT_EQ(spec.input_files[1].source, "data/more.dat");
  EXPECT_EQ(spec.output_files, (std::vector<std::string>{"out.dat", "res/r.txt"}));
  EXPECT_TRUE(spec.warnings.empty());
}

TEST(JdlToJobSpecTest, AShippedExecutableFallsBackToTheSandboxCopy) {
  model::JobSpec spec =
      Convert(R"([ Executable = "bin/run.sh"; InputSandbox = { "bin/run.sh" } ])");
  EXPECT_NE(spec.script.find("[ -e \"$gantry_exe\" ] || gantry_exe=./'run.sh'\n"
                             "exec \"$gantry_exe\"\n"),
            std::string::npos)
      << spec.script;
}

TEST(JdlToJobSpecTest, RequestGpusIsCountedNotLeftAsAnAttribute) {
  model::JobSpec spec = Convert(R"([ Executable = "/bin/true"; RequestGpus = 2 ])");
  EXPECT_EQ(spec.gpus, 2);
  EXPECT_EQ(spec.attributes.count("RequestGpus"), 0u);
  EXPECT_NE(ErrorOf(R"([ Executable = "/bin/true"; RequestGpus = TARGET.Gpus ])")
                .find("RequestGpus must be a whole number of GPUs"),
            std::string::npos);
}

TEST(JdlToJobSpecTest, RequirementsRankAndOtherAttributesKeepCanonicalText) {
  model::JobSpec spec = Convert(R"([ Executable = "/bin/true";
      Requirements = other.Memory>=1024&&TARGET.Arch=="X86_64";
      Rank = -other.LoadAvg;
      VirtualOrganisation = "atlas"; MyCount = 1+2 ])");
  EXPECT_EQ(spec.requirements, "TARGET.Memory >= 1024 && TARGET.Arch == \"X86_64\"");
  EXPECT_EQ(spec.rank, "-TARGET.LoadAvg");
  EXPECT_EQ(spec.attributes.at("VirtualOrganisation"), "\"atlas\"");
  EXPECT_EQ(spec.attributes.at("MyCount"), "1 + 2");
  EXPECT_EQ(spec.attributes.count("Executable"), 0u);
  EXPECT_EQ(spec.attributes.count("Requirements"), 0u);
}

TEST(JdlToJobSpecTest, SyntaxErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("[\n  Executable = \"/bin/true\";\n  Arguments = ;\n]"),
            "job.jdl:3:15: expected an expression but found ';'");
  // Without the outer brackets the columns are still the file's own.
  EXPECT_EQ(ErrorOf("Executable = ;"), "job.jdl:1:14: expected an expression but found ';'");
  EXPECT_EQ(ErrorOf("// a comment\n[ Executable = ; ]"),
            "job.jdl:2:16: expected an expression but found ';'");
}

TEST(JdlToJobSpecTest, UnsupportedJobTypesAndMissingExecutableAreRefused) {
  EXPECT_EQ(ErrorOf(R"([ JobType = "DAG"; Executable = "/bin/true" ])"),
            "job.jdl: JDL JobType \"DAG\" is not supported (\"Normal\" or \"Parametric\")");
  EXPECT_EQ(ErrorOf(R"([ Arguments = "x" ])"), "job.jdl: JDL has no Executable");
}

TEST(JdlToJobSpecTest, ParametricIntegerRangeFromZeroUsesTheArrayIndexInPatterns) {
  model::JobSpec spec = Convert(R"([ JobType = "Parametric"; Parameters = 3;
      Executable = "/bin/echo"; Arguments = "value=_PARAM_";
      StdOutput = "out_PARAM_%.txt"; StdError = "err_PARAM_.txt" ])");
  ASSERT_TRUE(spec.array.has_value());
  EXPECT_EQ(spec.array->task_ids, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(spec.array->text, "0-2");
  EXPECT_EQ(spec.stdout_pattern, "out%a%%.txt");
  EXPECT_EQ(spec.stderr_pattern, "err%a.txt");
  EXPECT_EQ(spec.attributes.count("Parameters"), 0u);
  ScriptRun run;
  EXPECT_EQ(run.Run(spec.script, 2), "value=2\n");
  EXPECT_EQ(run.Run(spec.script, 3), "gantry: array task '3' has no JDL parameter\n");
  EXPECT_NE(run.status(), 0);
}

TEST(JdlToJobSpecTest, ParametricListValuesAreSubstitutedBeforeShellSplitting) {
  model::JobSpec spec = Convert(R"([ JobType = "Parametric";
      Parameters = { "a b", "it's", "$HOME" };
      Executable = "/usr/bin/printf"; Arguments = "'<%s>' \"_PARAM_\" _PARAM_";
      Environment = { "P=v_PARAM_", "Q=fixed" } ])");
  ASSERT_TRUE(spec.array.has_value());
  EXPECT_EQ(spec.array->task_ids.size(), 3u);
  EXPECT_EQ(spec.environment.count("P"), 0u);
  EXPECT_EQ(spec.environment.at("Q"), "fixed");
  ScriptRun run;
  EXPECT_EQ(run.Run(spec.script, 0), "<a b><a><b>");
  // gLite substitutes the text, then the shell reads it: here a quote is left unbalanced.
  run.Run(spec.script, 1);
  EXPECT_NE(run.status(), 0);
  // ... and expands what the value says.
  std::string with_home = "#!/bin/sh\nHOME=/h\n" + spec.script.substr(spec.script.find('\n') + 1);
  EXPECT_EQ(run.Run(with_home, 2), "</h></h>");
  EXPECT_EQ(run.Run(spec.script.substr(0, spec.script.find("gantry_rest=")) + "echo \"$P\"\n", 1),
            "vit's\n");
}

TEST(JdlToJobSpecTest, ParametricOutputNamedByValuesIsRedirectedByTheScript) {
  model::JobSpec spec = Convert(R"([ JobType = "Parametric"; Parameters = 20;
      ParameterStart = 10; ParameterStep = 5;
      Executable = "/bin/sh"; Arguments = "-c 'echo out _PARAM_; echo err >&2'";
      StdOutput = "o_PARAM_.txt" ])");
  ASSERT_TRUE(spec.array.has_value());
  EXPECT_EQ(spec.array->task_ids, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(spec.stdout_pattern, "/dev/null");
  EXPECT_EQ(spec.stderr_pattern, "");
  ScriptRun run;
  EXPECT_EQ(run.Run(spec.script, 1), "");
  EXPECT_EQ(ReadAll(run.dir() + "/o15.txt"), "out 15\nerr\n");
}

TEST(JdlToJobSpecTest, ParamOutsideTheSubstitutedAttributesIsWarnedAbout) {
  model::JobSpec spec = Convert(R"([ JobType = "Parametric"; Parameters = 2;
      Executable = "/bin/true"; Requirements = TARGET.Name == "n_PARAM_" ])");
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_NE(spec.warnings[0].find("_PARAM_ in Requirements is not substituted"),
            std::string::npos);
}

TEST(JdlToJobSpecTest, StdInputIsRedirectedFromTheSubmitDirectory) {
  model::JobSpec spec = Convert(R"([ Executable = "/bin/cat"; StdInput = "in.txt" ])");
  EXPECT_NE(spec.script.find("exec <'/home/alice/work/in.txt'\n"), std::string::npos);
}

TEST(LooksLikeJdlTest, DecidesByExtensionOrByALeadingBracketWithoutShebang) {
  EXPECT_TRUE(LooksLikeJdl("job.jdl", "Executable = \"x\";"));
  EXPECT_TRUE(LooksLikeJdl("job", "# comment\n// other\n\n  [ Executable = \"x\" ]"));
  EXPECT_FALSE(LooksLikeJdl("job.sh", "#!/bin/sh\n[ -f x ] && echo y\n"));
  EXPECT_FALSE(LooksLikeJdl("job", "echo hi\n"));
}

TEST(CheckJdlCommandLineTest, RefusesSbatchOptionsAndArgumentsButNotOutputFlags) {
  std::vector<std::string> flags = {"--parsable", "-W", "-Q", "-vv"};
  EXPECT_TRUE(CheckJdlCommandLine("job.jdl", flags, {}).has_value());
  std::vector<std::string> options = {"--parsable", "-n", "4"};
  Status s = CheckJdlCommandLine("job.jdl", options, {});
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("sbatch options such as '-n' cannot be combined"),
            std::string::npos);
  std::vector<std::string> args = {"x"};
  EXPECT_FALSE(CheckJdlCommandLine("job.jdl", {}, args).has_value());
}

}  // namespace
}  // namespace gantry::submit
