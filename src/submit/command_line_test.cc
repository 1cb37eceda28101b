#include "submit/command_line.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "submit/options.h"
#include "submit/submission.h"

namespace gantry::submit {
namespace {

using Words = std::vector<std::string>;

SubmitCommandLine Parse(const Words& args) {
  Result<SubmitCommandLine> r = ParseSubmitArgv(args);
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return r.value_or(SubmitCommandLine{});
}

std::string ErrorOf(const Words& args) {
  Result<SubmitCommandLine> r = ParseSubmitArgv(args);
  return r ? "(accepted)" : r.error().message();
}

TEST(CommandLineTest, OptionsEndAtTheScriptAndTheRestAreItsArguments) {
  SubmitCommandLine cl = Parse({"-J", "x", "--time=5", "-n4", "job.sh", "a", "-b", "--time=9"});
  EXPECT_EQ(cl.options, (Words{"-J", "x", "--time=5", "-n4"}));
  EXPECT_EQ(cl.script_path, "job.sh");
  EXPECT_EQ(cl.script_args, (Words{"a", "-b", "--time=9"}));
  EXPECT_FALSE(cl.wrap.has_value());
}

TEST(CommandLineTest, DoubleDashEndsTheOptions) {
  SubmitCommandLine cl = Parse({"-H", "--", "-weird-name.sh", "x"});
  EXPECT_EQ(cl.options, (Words{"-H"}));
  EXPECT_EQ(cl.script_path, "-weird-name.sh");
  EXPECT_EQ(cl.script_args, (Words{"x"}));
}

TEST(CommandLineTest, NoScriptMeansTheScriptComesOnStdin) {
  SubmitCommandLine cl = Parse({"-p", "short"});
  EXPECT_FALSE(cl.script_path.has_value());
  EXPECT_FALSE(cl.wrap.has_value());
}

TEST(CommandLineTest, WrapTakesThePlaceOfTheScript) {
  SubmitCommandLine cl = Parse({"--wrap", "echo hi", "-J", "w"});
  EXPECT_EQ(cl.wrap, "echo hi");
  EXPECT_FALSE(cl.script_path.has_value());
  EXPECT_EQ(ErrorOf({"--wrap=ls", "job.sh"}),
            "command line: --wrap cannot be combined with a script (job.sh) or script arguments");
}

TEST(CommandLineTest, CliFlagsAreCollected) {
  SubmitCommandLine cl = Parse({"--json", "-v", "-vv", "-WQ", "job.sh"});
  EXPECT_TRUE(cl.flags.json);
  EXPECT_EQ(cl.flags.verbose, 3);
  EXPECT_TRUE(cl.flags.wait);
  EXPECT_TRUE(cl.flags.quiet);
  EXPECT_FALSE(cl.flags.parsable);
  EXPECT_TRUE(Parse({"--parsable", "job.sh"}).flags.parsable);
  EXPECT_EQ(ErrorOf({"--json", "--parsable", "job.sh"}),
            "command line: choose one of --json and --parsable");
}

TEST(CommandLineTest, HelpIsReportedWithoutAScript) {
  EXPECT_TRUE(Parse({"--help"}).flags.help);
  EXPECT_TRUE(Parse({"-h", "--json", "--parsable"}).flags.help);
}

TEST(CommandLineTest, UnknownOptionsAndMissingValuesAreRefused) {
  EXPECT_EQ(ErrorOf({"--bogus", "job.sh"}),
            "command line: unknown option --bogus (see gantry submit --help)");
  EXPECT_EQ(ErrorOf({"-y", "job.sh"}),
            "command line: unknown option -y (see gantry submit --help)");
  EXPECT_EQ(ErrorOf({"--time"}), "command line: --time needs a value (--time=TIME)");
  EXPECT_EQ(ErrorOf({"--max-retries=1", "--hold=1"}), "command line: --hold takes no value");
}

TEST(CommandLineTest, TheOptionsFeedParseSubmission) {
  SubmitCommandLine cl = Parse({"-t", "10", "--", "job.sh", "arg"});
  SubmitInput in;
  in.script_text = "#!/bin/sh\n#SBATCH -t 5\necho \"$1\"\n";
  in.script_name = *cl.script_path;
  in.script_args = cl.script_args;
  in.cli_args = cl.options;
  in.submit_dir = "/tmp";
  Result<model::JobSpec> spec = ParseSubmission(in);
  ASSERT_TRUE(spec.has_value()) << spec.error().message();
  EXPECT_EQ(spec->time_limit_seconds, 600);
  EXPECT_EQ(spec->script_args, (Words{"arg"}));
}

TEST(CommandLineTest, HelpListsEveryOptionInTheTable) {
  std::string help = SubmitHelpText();
  for (const OptionDef& def : SubmitOptions()) {
    EXPECT_NE(help.find("--" + std::string(def.long_name)), std::string::npos) << def.long_name;
  }
  EXPECT_NE(help.find("  -t, --time=TIME"), std::string::npos);
  EXPECT_NE(help.find("--nice[=N]"), std::string::npos);
  EXPECT_NE(help.find("--max-retries=N  (Gantry only; #GANTRY lines)"), std::string::npos);
  size_t longest = 0, start = 0;
  while (start < help.size()) {
    size_t end = help.find('\n', start);
    if (end == std::string::npos) end = help.size();
    longest = std::max(longest, end - start);
    start = end + 1;
  }
  EXPECT_LE(longest, 100u);
}

TEST(CommandLineTest, DocsSubmitMdNamesEveryOptionInTheTable) {
  std::ifstream in(std::string(GANTRY_SOURCE_DIR) + "/docs/submit.md");
  ASSERT_TRUE(in.good());
  std::stringstream docs;
  docs << in.rdbuf();
  const std::string text = docs.str();
  auto mentions = [&](const std::string& name) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
      char next = at + name.size() < text.size() ? text[at + name.size()] : ' ';
      if (!(next >= 'a' && next <= 'z') && next != '-') return true;  // not a longer name
    }
    return false;
  };
  for (const OptionDef& def : SubmitOptions()) {
    EXPECT_TRUE(mentions("--" + std::string(def.long_name)))
        << "--" << def.long_name << " is missing from docs/submit.md";
  }
}

TEST(CommandLineTest, TheOptionTableHasNoDuplicateNames) {
  auto options = SubmitOptions();
  for (size_t i = 0; i < options.size(); ++i) {
    for (size_t j = i + 1; j < options.size(); ++j) {
      EXPECT_NE(options[i].long_name, options[j].long_name);
      if (options[i].short_name != 0) {
        EXPECT_NE(options[i].short_name, options[j].short_name);
      }
    }
    EXPECT_NE(options[i].handler, nullptr) << options[i].long_name;
  }
}

}  // namespace
}  // namespace gantry::submit
