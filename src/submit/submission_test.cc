#include "submit/submission.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/strings.h"
#include "model/job_spec_json.h"
#include "model/limits.h"

namespace gantry::submit {
namespace {

// 2024-03-10T14:30:00Z
constexpr TimeMicros kNow = 1710081000LL * kMicrosPerSecond;

SubmitInput Input(std::string script, std::vector<std::string> cli = {}) {
  SubmitInput in;
  in.script_text = std::move(script);
  in.script_name = "job.sh";
  in.cli_args = std::move(cli);
  in.submit_dir = "/home/alice/work";
  in.submit_env = {{"HOME", "/home/alice"},
                   {"PATH", "/usr/bin"},
                   {"EDITOR", "vi"},
                   {"SLURM_CONF", "/etc/slurm/slurm.conf"},
                   {"SLURM_JWT", "secret"}};
  in.user = "alice";
  in.now = kNow;
  return in;
}

model::JobSpec Parse(const SubmitInput& in) {
  Result<model::JobSpec> r = ParseSubmission(in);
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return r.value_or(model::JobSpec{});
}

std::string ErrorOf(const SubmitInput& in) {
  Result<model::JobSpec> r = ParseSubmission(in);
  if (r) return "(accepted)";
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  return r.error().message();
}

TEST(SubmissionTest, EveryActedDirectiveReachesTheJobSpec) {
  model::JobSpec spec =
      Parse(Input("#!/bin/bash\n"
                  "#SBATCH --job-name=sim\n"
                  "#SBATCH --ntasks=4\n"
                  "#SBATCH --cpus-per-task=2\n"
                  "#SBATCH --mem=8G\n"
                  "#SBATCH --time=1-00:00:00\n"
                  "#SBATCH --output=out/%x_%j.log\n"
                  "#SBATCH --error=err/%x_%j.log\n"
                  "#SBATCH --chdir=runs\n"
                  "#SBATCH --array=0-3%2\n"
                  "#SBATCH --dependency=afterok:12:13\n"
                  "#SBATCH --begin=now+1hour\n"
                  "#SBATCH --nice=10\n"
                  "#SBATCH --hold\n"
                  "#SBATCH --partition=short\n"
                  "#SBATCH --account=physics\n"
                  "#SBATCH --nodes=1\n"
                  "#SBATCH --gpus=2\n"
                  "#GANTRY --max-retries=3\n"
                  "srun ./sim\n"));
  EXPECT_EQ(spec.name, "sim");
  EXPECT_EQ(spec.ntasks, 4);
  EXPECT_EQ(spec.cpus_per_task, 2);
  EXPECT_EQ(spec.memory_mb, 8192);
  EXPECT_EQ(spec.time_limit_seconds, 86400);
  EXPECT_EQ(spec.stdout_pattern, "out/%x_%j.log");
  EXPECT_EQ(spec.stderr_pattern, "err/%x_%j.log");
  EXPECT_EQ(spec.working_dir, "/home/alice/work/runs");
  ASSERT_TRUE(spec.array.has_value());
  EXPECT_EQ(spec.array->task_ids, (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(spec.array->max_concurrent, 2);
  ASSERT_EQ(spec.dependencies.size(), 1u);
  EXPECT_EQ(spec.dependencies[0].type, model::DependencyType::kAfterOk);
  EXPECT_EQ(spec.dependencies[0].job_ids, (std::vector<std::string>{"12", "13"}));
  EXPECT_FALSE(spec.dependencies_any);
  EXPECT_EQ(spec.begin_time, kNow + 3600 * kMicrosPerSecond);
  EXPECT_EQ(spec.nice, 10);
  EXPECT_TRUE(spec.hold);
  EXPECT_EQ(spec.partition, "short");
  EXPECT_EQ(spec.account, "physics");
  EXPECT_EQ(spec.gpus, 2);
  EXPECT_EQ(spec.max_retries, 3);
  EXPECT_TRUE(spec.warnings.empty()) << Join(spec.warnings, "\n");
}

TEST(SubmissionTest, ShortOptionsInEveryForm) {
  model::JobSpec spec = Parse(
      Input("#!/bin/sh\n"
            "#SBATCH -J sim -n4 -c 2 -t 30 -o out.txt -eerr.txt -D /scratch -a 1,3 -d 12 -p batch\n"
            "#SBATCH -A acct -H -N 1 -b 16:00 -G a100:1\n"
            "true\n"));
  EXPECT_EQ(spec.name, "sim");
  EXPECT_EQ(spec.ntasks, 4);
  EXPECT_EQ(spec.cpus_per_task, 2);
  EXPECT_EQ(spec.time_limit_seconds, 1800);
  EXPECT_EQ(spec.stdout_pattern, "out.txt");
  EXPECT_EQ(spec.stderr_pattern, "err.txt");
  EXPECT_EQ(spec.working_dir, "/scratch");
  EXPECT_EQ(spec.array->task_ids, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(spec.dependencies[0].type, model::DependencyType::kAfterAny);
  EXPECT_EQ(spec.partition, "batch");
  EXPECT_EQ(spec.account, "acct");
  EXPECT_TRUE(spec.hold);
  EXPECT_EQ(spec.begin_time, 1710086400LL * kMicrosPerSecond);  // 16:00Z today
  EXPECT_EQ(spec.gpus, 1);
}

// Regression (issue 11 item 6): --open-mode only warned, and output was always appended.
TEST(SubmissionTest, OpenModeTruncatesByDefaultAndAppendsWhenAsked) {
  EXPECT_EQ(Parse(Input("#!/bin/sh\ntrue\n")).open_mode, model::JobSpec::OpenMode::kTruncate);
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --open-mode=append\ntrue\n"));
  EXPECT_EQ(spec.open_mode, model::JobSpec::OpenMode::kAppend);
  EXPECT_TRUE(spec.warnings.empty()) << Join(spec.warnings, "\n");
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --open-mode=append\n#SBATCH --open-mode t\ntrue\n"))
                .open_mode,
            model::JobSpec::OpenMode::kTruncate);
  EXPECT_NE(ErrorOf(Input("#!/bin/sh\n#SBATCH --open-mode=sometimes\ntrue\n")).find(
                "expected append or truncate"),
            std::string::npos);
}

TEST(SubmissionTest, LongOptionsTakeTheirValueFromTheNextWordToo) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --job-name sim --time 5\ntrue\n"));
  EXPECT_EQ(spec.name, "sim");
  EXPECT_EQ(spec.time_limit_seconds, 300);
}

TEST(SubmissionTest, UniquePrefixesOfLongOptionsWorkAsWithGetopt) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --job=sim --cpus-per-t=3\ntrue\n"));
  EXPECT_EQ(spec.name, "sim");
  EXPECT_EQ(spec.cpus_per_task, 3);
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --me=1\ntrue\n")),
            "job.sh:2: ambiguous option --me (could be --mem, --mem-per-cpu, --mem-bind, "
            "--mem-per-gpu, --mem-update)");
}

TEST(SubmissionTest, QuotesEscapesAndCommentsOnDirectiveLines) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\n"
                  "#SBATCH -J \"my job\" # a comment --time=5\n"
                  "#SBATCH --output='a b#c.out'\n"
                  "#SBATCH --error=x\\ y.err\n"
                  "true\n"));
  EXPECT_EQ(spec.name, "my job");
  EXPECT_EQ(spec.time_limit_seconds, 0);
  EXPECT_EQ(spec.stdout_pattern, "a b#c.out");
  EXPECT_EQ(spec.stderr_pattern, "x y.err");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH -J \"open\ntrue\n")),
            "job.sh:2: unmatched \" in #SBATCH line");
}

TEST(SubmissionTest, DirectivesAfterTheFirstCommandAreIgnored) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\n"
                  "\n"
                  "# setup\n"
                  "   \n"
                  "#SBATCH -J early\n"
                  "echo start\n"
                  "#SBATCH -J late\n"
                  "#SBATCH --bogus\n"));
  EXPECT_EQ(spec.name, "early");
}

TEST(SubmissionTest, IndentedOrDisabledDirectivesAreComments) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n##SBATCH -J off\n  #SBATCH -J indented\ntrue\n"));
  EXPECT_EQ(spec.name, "job.sh");
}

TEST(SubmissionTest, GantryLinesOverrideSbatchLinesWhateverTheirOrder) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\n"
                  "#GANTRY --time=10 -J from-gantry\n"
                  "#SBATCH --time=5 -J from-sbatch -n 2\n"
                  "true\n"));
  EXPECT_EQ(spec.time_limit_seconds, 600);
  EXPECT_EQ(spec.name, "from-gantry");
  EXPECT_EQ(spec.ntasks, 2);
}

TEST(SubmissionTest, MaxRetriesBelongsOnGantryLinesNotSbatchLines) {
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --max-retries=2\ntrue\n")),
            "job.sh:2: unknown #SBATCH option --max-retries (--max-retries is a Gantry option: "
            "put it on a #GANTRY line)");
  EXPECT_EQ(Parse(Input("#!/bin/sh\ntrue\n", {"--max-retries", "4"})).max_retries, 4);
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#GANTRY --max-retries=-1\ntrue\n")),
            "job.sh:2: invalid --max-retries value '-1': expected a whole number from 0 to "
            "100");
}

TEST(SubmissionTest, CommandLineOverridesBothKindsOfDirective) {
  model::JobSpec spec = Parse(
      Input("#!/bin/sh\n#SBATCH -t 5 -J a\n#GANTRY -t 10\ntrue\n", {"--time=20", "-p", "long"}));
  EXPECT_EQ(spec.time_limit_seconds, 1200);
  EXPECT_EQ(spec.name, "a");
  EXPECT_EQ(spec.partition, "long");
}

TEST(SubmissionTest, TheLastOccurrenceInOneSourceWins) {
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH -J a\n#SBATCH -J b\ntrue\n")).name, "b");
}

TEST(SubmissionTest, WrapBuildsAShScript) {
  SubmitInput in = Input("");
  in.script_name = "";
  in.wrap = "echo hello";
  model::JobSpec spec = Parse(in);
  EXPECT_EQ(spec.script, "#!/bin/sh\necho hello\n");
  EXPECT_EQ(spec.name, "wrap");
  EXPECT_EQ(spec.script_name, "");
}

TEST(SubmissionTest, WrapMayComeAmongTheCommandLineOptions) {
  SubmitInput in = Input("", {"--wrap=hostname", "-J", "w"});
  in.script_name = "";
  model::JobSpec spec = Parse(in);
  EXPECT_EQ(spec.script, "#!/bin/sh\nhostname\n");
  EXPECT_EQ(spec.name, "w");
}

TEST(SubmissionTest, WrapWithAScriptFileIsAnError) {
  SubmitInput in = Input("#!/bin/sh\ntrue\n");
  in.wrap = "echo hi";
  EXPECT_EQ(ErrorOf(in),
            "command line: --wrap cannot be combined with a script (job.sh) or script arguments");
  SubmitInput args = Input("");
  args.script_name = "";
  args.wrap = "echo hi";
  args.script_args = {"x"};
  EXPECT_NE(ErrorOf(args).find("--wrap cannot be combined"), std::string::npos);
}

TEST(SubmissionTest, WrapIsOnlyForTheCommandLine) {
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --wrap=ls\ntrue\n")),
            "job.sh:2: --wrap is only valid on the gantry submit command line");
}

TEST(SubmissionTest, ScriptArgumentsAreKept) {
  SubmitInput in = Input("#!/bin/sh\necho \"$@\"\n");
  in.script_args = {"a", "b c"};
  EXPECT_EQ(Parse(in).script_args, (std::vector<std::string>{"a", "b c"}));
}

TEST(SubmissionTest, UnknownOptionsAreRefusedWithTheirLine) {
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH -J x\n\n#SBATCH --foo\ntrue\n")),
            "job.sh:4: unknown #SBATCH option --foo");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#GANTRY --foo=1\ntrue\n")),
            "job.sh:2: unknown #GANTRY option --foo");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH -y\ntrue\n")), "job.sh:2: unknown #SBATCH option -y");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\ntrue\n", {"--foo"})),
            "command line: unknown option --foo (see gantry submit --help)");
}

TEST(SubmissionTest, StrayWordsAndMissingValuesAreRefused) {
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH -J x extra\ntrue\n")),
            "job.sh:2: unexpected word 'extra' in #SBATCH line");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --time\ntrue\n")),
            "job.sh:2: --time needs a value (--time=TIME)");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH -t\ntrue\n")),
            "job.sh:2: -t needs a value (-t TIME)");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --hold=yes\ntrue\n")),
            "job.sh:2: --hold takes no value");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --nice 5\ntrue\n")),
            "job.sh:2: unexpected word '5' in #SBATCH line (write --nice=5: its value is "
            "optional, so it must be joined with '=')");
}

TEST(SubmissionTest, NiceWithoutAValueMeansOneHundred) {
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --nice\ntrue\n")).nice, 100);
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --nice=-5\ntrue\n")).nice, -5);
}

TEST(SubmissionTest, WarnOnlyOptionsAreAcceptedWithAWarningNamingOptionAndLine) {
  model::JobSpec spec = Parse(
      Input("#!/bin/sh\n"
            "#SBATCH --mail-type=END,FAIL --mail-user=a@b.c\n"
            "#SBATCH -L matlab:1 --qos=high --requeue\n"
            "#SBATCH --signal=B:USR1@60 --time-min=10 --ntasks-per-core=1\n"
            "true\n",
            {"--comment=hi"}));
  ASSERT_EQ(spec.warnings.size(), 9u) << Join(spec.warnings, "\n");
  EXPECT_EQ(spec.warnings[0],
            "job.sh:2: --mail-type is accepted for SLURM compatibility but Gantry does not act "
            "on it");
  EXPECT_EQ(spec.warnings[2].substr(0, 21), "job.sh:3: --licenses ");
  EXPECT_EQ(spec.warnings[8].substr(0, 24), "command line: --comment ");
}

TEST(SubmissionTest, ConstraintBecomesRequirementsOverTheAgentsFeatures) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH -C haswell&[ib|opa]\ntrue\n"));
  EXPECT_EQ(spec.requirements,
            "(member(\"haswell\", TARGET.Features) && (member(\"ib\", TARGET.Features) || "
            "member(\"opa\", TARGET.Features)))");
  EXPECT_TRUE(spec.warnings.empty());
}

TEST(SubmissionTest, ConstraintIsAddedToGantryRequirements) {
  model::JobSpec spec = Parse(Input(
      "#!/bin/sh\n#SBATCH --constraint=gpu\n#GANTRY --requirements \"TARGET.Memory > 10\"\ntrue\n"));
  EXPECT_EQ(spec.requirements, "(TARGET.Memory > 10) && member(\"gpu\", TARGET.Features)");
}

TEST(SubmissionTest, ABadConstraintIsRefusedWithItsLine) {
  std::string error = ErrorOf(Input("#!/bin/sh\n#SBATCH -C a*2\ntrue\n"));
  EXPECT_NE(error.find("job.sh:2:"), std::string::npos) << error;
  EXPECT_NE(error.find("a Gantry job runs on one node"), std::string::npos) << error;
}

TEST(SubmissionTest, ExclusiveHoldsTheWholeNodeAndItsModesOnlyWarn) {
  EXPECT_TRUE(Parse(Input("#!/bin/sh\n#SBATCH --exclusive\ntrue\n")).exclusive);
  model::JobSpec user = Parse(Input("#!/bin/sh\n#SBATCH --exclusive=user\ntrue\n"));
  EXPECT_FALSE(user.exclusive);
  ASSERT_EQ(user.warnings.size(), 1u);
  EXPECT_NE(user.warnings[0].find("--exclusive=user"), std::string::npos);
  EXPECT_NE(ErrorOf(Input("#!/bin/sh\n#SBATCH --exclusive=yes\ntrue\n")).find("expected"),
            std::string::npos);
}

TEST(SubmissionTest, GpusAndGresGpuAreCounted) {
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --gpus=2\ntrue\n")).gpus, 2);
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --gres=gpu:a100:3\ntrue\n")).gpus, 3);
}

TEST(SubmissionTest, CommandLineFlagsInAScriptOnlyWarn) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --parsable -W -v -Q\ntrue\n"));
  ASSERT_EQ(spec.warnings.size(), 4u);
  EXPECT_EQ(spec.warnings[0],
            "job.sh:2: --parsable only has an effect on the gantry submit command line");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --json\ntrue\n")),
            "job.sh:2: --json is only valid on the gantry submit command line");
  EXPECT_TRUE(Parse(Input("#!/bin/sh\ntrue\n", {"--json", "-v"})).warnings.empty());
}

TEST(SubmissionTest, OptionsGantryCannotHonourAreRefused) {
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --test-only\ntrue\n")),
            "job.sh:2: --test-only is not supported by Gantry (there is no test-only mode)");
  EXPECT_NE(ErrorOf(Input("#!/bin/sh\n#SBATCH --uid=root\ntrue\n")).find("--uid is not supported"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH hetjob\ntrue\n")),
            "job.sh:2: heterogeneous jobs (hetjob) are not supported by Gantry");
}

// The CLI and the API share their bounds: what gantry submit accepts at each edge, the
// server's ValidateJobSpec accepts too.
TEST(SubmissionTest, ValuesAtTheCliBoundsPassTheServersValidation) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\ntrue\n", {"-n", "1000000", "--time=52560000", "--nice=-2147483645",
                                        "--max-retries=100", "--array=0,4000000%1000000",
                                        "--gpus=1000000", "--mem=1048576T", "--begin=9999-12-31"}));
  EXPECT_EQ(spec.ntasks, model::kMaxCount);
  EXPECT_EQ(spec.time_limit_seconds, model::kMaxTimeLimitSeconds);
  EXPECT_EQ(spec.nice, -model::kMaxNice);
  EXPECT_EQ(spec.max_retries, model::kMaxRetries);
  EXPECT_EQ(spec.array->task_ids.back(), model::kMaxArrayTaskId);
  EXPECT_EQ(spec.array->max_concurrent, model::kMaxArrayTasks);
  EXPECT_EQ(spec.gpus, model::kMaxCount);
  EXPECT_EQ(spec.memory_mb, model::kMaxMemoryMb);
  Status valid = model::ValidateJobSpec(spec);
  EXPECT_TRUE(valid) << valid.error().message();
  auto back = model::JobSpecFromJson(model::JobSpecToJson(spec));
  ASSERT_TRUE(back) << back.error().message();
  valid = model::ValidateJobSpec(*back);
  EXPECT_TRUE(valid) << valid.error().message();
}

TEST(SubmissionTest, BadValuesNameTheLineTheOptionAndWhatWasExpected) {
  struct Bad {
    std::string directive;
    std::string message;
  };
  const Bad cases[] = {
      {"--time=1:2:3:4",
       "invalid --time value '1:2:3:4': expected minutes, minutes:seconds, "
       "hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds, or "
       "UNLIMITED"},
      {"--mem=lots", "invalid --mem value 'lots': expected a non-negative whole number"},
      {"--mem-per-cpu=2X", "invalid --mem-per-cpu value '2X': expected"},
      {"-n 0", "invalid --ntasks value '0': expected a whole number from 1 to 1000000"},
      {"-c two", "invalid --cpus-per-task value 'two': expected a whole number"},
      {"--array=5-1", "invalid --array value '5-1': range 5-1 is reversed"},
      {"--array=-3", "invalid --array value '-3': array indexes must not be negative"},
      {"--array=0-2000000", "invalid --array value '0-2000000': too many array tasks"},
      {"--dependency=afterok:1,afterok:2?afterok:3", "invalid --dependency value"},
      {"--begin=25:00", "invalid --begin value '25:00': hour must be 0-23"},
      {"--nice=abc", "invalid --nice value 'abc': expected a whole number"},
      {"--nodes=2", "invalid --nodes value '2': Gantry runs single-node jobs for now"},
      {"--export=1BAD", "invalid --export value '1BAD': '1BAD' is not a variable name"},
      {"--export=NONE,FOO", "invalid --export value 'NONE,FOO': NONE cannot be combined"},
      {"--job-name=", "invalid --job-name value '': expected a job name"},
      {"--output=", "invalid --output value '': expected a file name pattern"},
      {"--chdir=", "invalid --chdir value '': expected a directory"},
      {"--gpus=many", "invalid --gpus value 'many': expected [TYPE:]COUNT"},
      {"--partition=", "invalid --partition value '': expected a partition name"},
      {"--account=", "invalid --account value '': expected an account name"},
      {"--ntasks-per-node=0", "invalid --ntasks-per-node value '0'"},
      // One past each bound the API applies too (model/limits.h).
      {"-n 1000001", "invalid --ntasks value '1000001': expected a whole number from 1 to 1000000"},
      {"--time=52560001",
       "invalid --time value '52560001': time limit too large (at most 100 years)"},
      {"--nice=2147483646",
       "invalid --nice value '2147483646': expected a whole number from "
       "-2147483645 to 2147483645"},
      {"--nice=-2147483646", "invalid --nice value '-2147483646': expected a whole number"},
      {"--array=4000001", "invalid --array value '4000001': array index 4000001 too large"},
      {"--array=1-5%1000001", "invalid --array value '1-5%1000001': the limit after '%' must be"},
      {"--gpus=1000001", "invalid --gpus value '1000001'"},
      {"--gres=gpu:600000,gpu:600000",
       "invalid --gres value 'gpu:600000,gpu:600000': at most "
       "1000000 GPUs in all"},
      {"--mem=1048577T", "invalid --mem value '1048577T': memory size too large"},
  };
  for (const Bad& c : cases) {
    std::string error = ErrorOf(Input("#!/bin/sh\n# comment\n#SBATCH " + c.directive + "\ntrue\n"));
    EXPECT_TRUE(error.starts_with("job.sh:3: " + c.message)) << c.directive << "\n  got: " << error;
    std::vector<std::string> cli = {c.directive};
    if (c.directive.starts_with("-n ") || c.directive.starts_with("-c ")) {
      cli = {c.directive.substr(0, 2), c.directive.substr(3)};
    }
    std::string cli_error = ErrorOf(Input("#!/bin/sh\ntrue\n", cli));
    EXPECT_TRUE(cli_error.starts_with("command line: " + c.message))
        << c.directive << "\n  got: " << cli_error;
  }
}

TEST(SubmissionTest, ScriptsThatAreNotBatchScriptsAreRefused) {
  EXPECT_EQ(ErrorOf(Input("")), "job.sh: the batch script is empty");
  EXPECT_EQ(ErrorOf(Input(" \n\t\n")), "job.sh: the batch script contains only whitespace");
  EXPECT_EQ(ErrorOf(Input("echo hi\n")),
            "job.sh:1: the batch script must start with #! (e.g. #!/bin/bash)");
  EXPECT_EQ(ErrorOf(Input(std::string("#!/bin/sh\necho\n\x7f"
                                      "ELF\0\x01",
                                      21))),
            "job.sh:3: the batch script contains a NUL byte; it must be a text file (is it a "
            "binary?)");
  EXPECT_EQ(ErrorOf(Input(std::string("\x7f"
                                      "ELF\0\0",
                                      6))),
            "job.sh:1: the batch script contains a NUL byte; it must be a text file (is it a "
            "binary?)");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\r\ntrue\r\n")),
            "job.sh:1: the batch script has DOS line breaks (\\r\\n) instead of UNIX ones (\\n); "
            "convert it, e.g. with dos2unix");
}

TEST(SubmissionTest, ScriptFromStdinIsNamedStdin) {
  SubmitInput in = Input("echo\n");
  in.script_name = "";
  EXPECT_EQ(ErrorOf(in), "stdin:1: the batch script must start with #! (e.g. #!/bin/bash)");
  in.script_text = "#!/bin/sh\ntrue\n";
  EXPECT_EQ(Parse(in).name, "stdin");
}

TEST(SubmissionTest, MemAndMemPerCpuAreMutuallyExclusiveInOneSource) {
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH --mem-per-cpu=1G\n#SBATCH --mem=4G\ntrue\n")),
            "job.sh:3: --mem and --mem-per-cpu are mutually exclusive (--mem-per-cpu was given "
            "at job.sh:2)");
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\ntrue\n", {"--mem=1G", "--mem-per-cpu=1G"})),
            "command line: --mem-per-cpu and --mem are mutually exclusive (--mem was given at "
            "command line)");
}

TEST(SubmissionTest, ALaterSourceReplacesTheOtherMemoryOption) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\n#SBATCH --mem-per-cpu=1G -n 4\ntrue\n", {"--mem=2G"}));
  EXPECT_EQ(spec.memory_mb, 2048);
}

TEST(SubmissionTest, MemPerCpuIsMultipliedByCpusAndTasks) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --mem-per-cpu=500M -c 4 -n 3\ntrue\n"));
  EXPECT_EQ(spec.memory_mb, 6000);
  EXPECT_NE(ErrorOf(Input("#!/bin/sh\n#SBATCH --mem-per-cpu=1000T -c 1000 -n 1000\ntrue\n"))
                .find("job.sh:2: --mem-per-cpu times CPUs per task times tasks is too much"),
            std::string::npos);
}

TEST(SubmissionTest, DefaultsComeFromTheScriptAndTheSubmitter) {
  SubmitInput in = Input("#!/bin/sh\ntrue\n");
  in.script_name = "jobs/run.sh";
  model::JobSpec spec = Parse(in);
  EXPECT_EQ(spec.name, "run.sh");
  EXPECT_EQ(spec.script_name, "jobs/run.sh");
  EXPECT_EQ(spec.script, "#!/bin/sh\ntrue\n");
  EXPECT_EQ(spec.submit_dir, "/home/alice/work");
  EXPECT_EQ(spec.working_dir, "/home/alice/work");
  EXPECT_EQ(spec.ntasks, 1);
  EXPECT_EQ(spec.cpus_per_task, 1);
  EXPECT_EQ(spec.memory_mb, 0);
  EXPECT_EQ(spec.time_limit_seconds, 0);
  EXPECT_EQ(spec.begin_time, 0);
  EXPECT_FALSE(spec.array.has_value());
  EXPECT_EQ(spec.stdout_pattern, "");
  EXPECT_EQ(spec.environment.at("EDITOR"), "vi");
  EXPECT_EQ(spec.environment.count("SLURM_JWT"), 0u);
  EXPECT_EQ(spec.environment.count("SLURM_EXPORT_ENV"), 0u);
}

TEST(SubmissionTest, ChdirIsRelativeToTheSubmitDirectory) {
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH -D ../other/./x\ntrue\n")).working_dir,
            "/home/alice/other/x");
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH -D /abs//dir/\ntrue\n")).working_dir, "/abs/dir");
  SubmitInput relative = Input("#!/bin/sh\ntrue\n");
  relative.submit_dir = "work";
  EXPECT_EQ(ErrorOf(relative), "the submit directory must be absolute, not 'work'");
}

TEST(SubmissionTest, ExportNoneKeepsOnlySlurmVariables) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --export=NONE\ntrue\n"));
  EXPECT_EQ(spec.environment,
            (std::map<std::string, std::string>{{"SLURM_CONF", "/etc/slurm/slurm.conf"},
                                                {"SLURM_EXPORT_ENV", "NONE"}}));
}

TEST(SubmissionTest, ExportListWithoutAllExportsOnlyThoseVariables) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\n#SBATCH --export=EDITOR,ARG1=test,MISSING\ntrue\n"));
  EXPECT_EQ(spec.environment,
            (std::map<std::string, std::string>{{"ARG1", "test"},
                                                {"EDITOR", "vi"},
                                                {"SLURM_CONF", "/etc/slurm/slurm.conf"},
                                                {"SLURM_EXPORT_ENV", "EDITOR,ARG1=test,MISSING"}}));
}

TEST(SubmissionTest, ExportAllWithValuesAddsThemToEverything) {
  model::JobSpec spec =
      Parse(Input("#!/bin/sh\ntrue\n", {"--export=ALL,EDITOR=emacs,LIST=\"a,b\""}));
  EXPECT_EQ(spec.environment.at("EDITOR"), "emacs");
  EXPECT_EQ(spec.environment.at("LIST"), "a,b");
  EXPECT_EQ(spec.environment.at("HOME"), "/home/alice");
  EXPECT_EQ(spec.environment.count("SLURM_JWT"), 0u);
}

TEST(SubmissionTest, NtasksPerNodeSetsTheTaskCountOnOneNode) {
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH -N 1 --ntasks-per-node=8\ntrue\n")).ntasks, 8);
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH -n 4 --ntasks-per-node=8\ntrue\n")).ntasks, 4);
  EXPECT_EQ(ErrorOf(Input("#!/bin/sh\n#SBATCH -n 16\n#SBATCH --ntasks-per-node=8\ntrue\n")),
            "job.sh:2: --ntasks=16 needs more than one node with --ntasks-per-node=8 (job.sh:3); "
            "Gantry jobs run on one node");
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --nodes=1-1\ntrue\n")).ntasks, 1);
}

TEST(SubmissionTest, GresRecordsGpusAndWarnsAboutTheRest) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH --gres=gpu:a100:2,license:1\ntrue\n"));
  EXPECT_EQ(spec.gpus, 2);
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_EQ(spec.warnings[0],
            "job.sh:2: --gres license:1 is accepted for SLURM compatibility but Gantry does not "
            "act on it (only gpu is recorded)");
  EXPECT_EQ(Parse(Input("#!/bin/sh\n#SBATCH --gres=gpu\ntrue\n")).gpus, 1);
}

TEST(SubmissionTest, DependenciesJoinedByQuestionMarkAreAny) {
  model::JobSpec spec = Parse(Input("#!/bin/sh\n#SBATCH -d afterok:12_3?afternotok:14\ntrue\n"));
  EXPECT_TRUE(spec.dependencies_any);
  ASSERT_EQ(spec.dependencies.size(), 2u);
  EXPECT_EQ(spec.dependencies[0].job_ids, (std::vector<std::string>{"12_3"}));
  EXPECT_EQ(spec.dependencies[1].type, model::DependencyType::kAfterNotOk);
}

}  // namespace
}  // namespace gantry::submit
