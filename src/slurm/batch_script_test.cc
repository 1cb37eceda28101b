#include "slurm/batch_script.h"

#include <gtest/gtest.h>

namespace gantry::slurm {
namespace {

model::JobSpec Spec() {
  model::JobSpec s;
  s.name = "analysis";
  s.script = "#!/bin/bash\n#SBATCH -t 5\n#SBATCH --mem=2G\necho hi\n";
  s.working_dir = "/home/alice/run";
  s.ntasks = 2;
  s.cpus_per_task = 3;
  s.memory_mb = 2048;
  s.time_limit_seconds = 301;
  return s;
}

TEST(BatchScriptTest, DirectivesComeFromTheSpecAndTheJobsOwnAreComments) {
  Placement p{"batch", "/home/alice/run/slurm-7.out", ""};
  std::string script = SbatchScript(Spec(), p).value();
  EXPECT_EQ(script,
            "#!/bin/bash\n"
            "#SBATCH --job-name=analysis\n"
            "#SBATCH --nodes=1\n"
            "#SBATCH --ntasks=2\n"
            "#SBATCH --cpus-per-task=3\n"
            "#SBATCH --mem=2048M\n"
            "#SBATCH --time=6\n"
            "#SBATCH --partition=batch\n"
            "#SBATCH --chdir=/home/alice/run\n"
            "#SBATCH --output=/home/alice/run/slurm-7.out\n"
            "#SBATCH --export=ALL\n"
            "#SBATCH --requeue\n"
            "# Submitted by the Gantry SLURM gateway; the job's own #SBATCH lines follow as\n"
            "# #GANTRY-WAS-SBATCH (the lines above say what Gantry made of them).\n"
            "#GANTRY-WAS-SBATCH -t 5\n"
            "#GANTRY-WAS-SBATCH --mem=2G\n"
            "echo hi\n");
}

TEST(BatchScriptTest, AScriptWithoutShebangGetsSh) {
  model::JobSpec s = Spec();
  s.script = "true\n";
  std::string script = SbatchScript(s, {}).value();
  EXPECT_EQ(script.rfind("#!/bin/sh\n#SBATCH --job-name=analysis\n", 0), 0u) << script;
}

TEST(BatchScriptTest, OptionalDirectivesAppearOnlyWhenAskedFor) {
  model::JobSpec s;
  s.script = "#!/bin/sh\ntrue\n";
  auto o = SbatchOptions(s, {}).value();
  std::vector<std::string> want = {"--job-name=gantry", "--nodes=1", "--ntasks=1",
                                   "--cpus-per-task=1", "--export=ALL", "--requeue"};
  EXPECT_EQ(o, want);
  s.gpus = 2;
  s.exclusive = true;
  s.account = "cms";
  s.partition = "gpu";
  s.nice = 10;
  s.open_mode = model::JobSpec::OpenMode::kAppend;
  o = SbatchOptions(s, {}).value();
  for (const char* w : {"--gpus=2", "--exclusive", "--account=cms", "--partition=gpu",
                        "--nice=10", "--open-mode=append"}) {
    EXPECT_NE(std::find(o.begin(), o.end(), w), o.end()) << w;
  }
}

TEST(BatchScriptTest, DependenciesAndArraysAreGantrysToResolve) {
  model::JobSpec s = Spec();
  s.dependencies.push_back({model::DependencyType::kAfterOk, {"12"}});
  EXPECT_FALSE(SbatchScript(s, {}).has_value());
  s = Spec();
  s.array = model::ArraySpec{{0, 1}, 0, "0-1"};
  EXPECT_FALSE(SbatchScript(s, {}).has_value());
}

TEST(BatchScriptTest, TimeIsWholeMinutesRoundedUp) {
  EXPECT_EQ(SlurmMinutes(1), "1");
  EXPECT_EQ(SlurmMinutes(60), "1");
  EXPECT_EQ(SlurmMinutes(61), "2");
  EXPECT_EQ(SlurmMinutes(0), "1");
}

TEST(BatchScriptTest, NewlinesCannotReachADirective) {
  model::JobSpec s = Spec();
  s.working_dir = "/tmp/a\nb";
  EXPECT_FALSE(SbatchScript(s, {}).has_value());
  s = Spec();
  s.name = "two\nlines";
  EXPECT_NE(SbatchScript(s, {}).value().find("--job-name=two lines"), std::string::npos);
}

}  // namespace
}  // namespace gantry::slurm
