#include "submit/modules.h"

#include <gtest/gtest.h>

#include "submit/submission.h"

namespace gantry::submit {
namespace {

TEST(ModulesTest, AListBecomesAnAttributeAndOneClausePerModule) {
  auto r = ParseModuleList("gcc/12, python gcc/12,,");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->modules, (std::vector<std::string>{"gcc/12", "python"}));
  EXPECT_EQ(r->attribute, "{\"gcc/12\", \"python\"}");
  EXPECT_EQ(r->requirements,
            "member(\"gcc/12\", TARGET.Modules) && member(\"python\", TARGET.ModuleNames)");
}

TEST(ModulesTest, BadNamesAreRefusedNamingThem) {
  for (const char* bad : {"gcc/12,\"x\"", "/gcc", "gcc/", "a//b", ".hidden", "gcc;rm"}) {
    auto r = ParseModuleList(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find("bad module name"), std::string::npos) << bad;
  }
  EXPECT_FALSE(ParseModuleList(" , "));
}

SubmitInput Input(std::string script, std::vector<std::string> cli = {}) {
  SubmitInput in;
  in.script_text = std::move(script);
  in.script_name = "job.sh";
  in.cli_args = std::move(cli);
  in.submit_dir = "/home/alice/work";
  in.user = "alice";
  in.now = 1710081000LL * kMicrosPerSecond;
  return in;
}

TEST(ModulesTest, TheDirectiveAndTheOptionSetRequirementsAndTheAttribute) {
  auto spec =
      ParseSubmission(Input("#!/bin/bash\n#GANTRY --modules gcc/12,python\n"
                            "#SBATCH -C avx2\ntrue\n"));
  ASSERT_TRUE(spec) << spec.error().message();
  EXPECT_EQ(spec->attributes.at(std::string(kRequestModulesAttribute)), "{\"gcc/12\", \"python\"}");
  EXPECT_EQ(spec->requirements,
            "(member(\"avx2\", TARGET.Features)) && member(\"gcc/12\", TARGET.Modules) && "
            "member(\"python\", TARGET.ModuleNames)");
  // The command line wins over the script, as for every option.
  auto cli = ParseSubmission(
      Input("#!/bin/bash\n#GANTRY --modules gcc/12\ntrue\n", {"--modules=cmake/3"}));
  ASSERT_TRUE(cli) << cli.error().message();
  EXPECT_EQ(cli->requirements, "member(\"cmake/3\", TARGET.Modules)");
  auto bad = ParseSubmission(Input("#!/bin/bash\n#GANTRY --modules gcc//12\ntrue\n"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("job.sh:2"), std::string::npos) << bad.error().message();
}

TEST(ModulesTest, SbatchLinesDoNotTakeGantrysOwnOption) {
  auto spec = ParseSubmission(Input("#!/bin/bash\n#SBATCH --modules gcc/12\ntrue\n"));
  EXPECT_FALSE(spec && spec->attributes.contains(std::string(kRequestModulesAttribute)));
}

}  // namespace
}  // namespace gantry::submit
