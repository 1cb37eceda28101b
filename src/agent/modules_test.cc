#include "agent/modules.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::agent {
namespace {

TEST(ModulesTest, NamesComeFromModulefilePaths) {
  EXPECT_EQ(ModuleNamesOf({"gcc/12.lua", "gcc/13", "python/3.11.lua", "gcc/.version", ".hidden/1",
                           "gcc/default", "gcc/13~", "cmake.lua", "a/b/c.lua", "gcc/12.lua"}),
            (std::vector<std::string>{"a/b/c", "cmake", "gcc/12", "gcc/13", "python/3.11"}));
  EXPECT_EQ(ModuleBaseNames({"gcc/12", "gcc/13", "python/3.11", "cmake"}),
            (std::vector<std::string>{"cmake", "gcc", "python"}));
}

TEST(ModulesTest, FindsModulesUnderEveryDirectoryOfTheModulepath) {
  TempDir dir;
  ASSERT_TRUE(MakeDirs(dir.File("a/gcc"), 0755));
  ASSERT_TRUE(MakeDirs(dir.File("b/python"), 0755));
  ASSERT_TRUE(WriteFileAtomic(dir.File("a/gcc/12.lua"), "setenv(\"X\", \"1\")\n"));
  ASSERT_TRUE(WriteFileAtomic(dir.File("a/gcc/.version"), "#%Module\n"));
  ASSERT_TRUE(WriteFileAtomic(dir.File("b/python/3.11"), "#%Module\n"));
  std::filesystem::create_symlink("12.lua", dir.File("a/gcc/default"));
  std::string path = dir.File("a") + ":" + dir.File("missing") + "::" + dir.File("b");
  EXPECT_EQ(FindModules(path), (std::vector<std::string>{"gcc/12", "python/3.11"}));
  EXPECT_TRUE(FindModules("").empty());
}

TEST(ModulesTest, ReadsTheRequestModulesAttribute) {
  EXPECT_EQ(RequestedModules("{\"gcc/12\", \"python\"}").value(),
            (std::vector<std::string>{"gcc/12", "python"}));
  EXPECT_TRUE(RequestedModules("").value().empty());
  for (const char* bad : {"\"gcc\"", "{1, 2}", "{\"gcc\""}) {
    auto out = RequestedModules(bad);
    ASSERT_FALSE(out) << bad;
    EXPECT_NE(out.error().message().find("RequestModules"), std::string::npos)
        << out.error().message();
  }
}

TEST(ModulesTest, WrapsTheScriptInALoaderOnlyWhenModulesAreAsked) {
  std::vector<std::string> argv = {"/tmp/job.sh", "a b"};
  EXPECT_EQ(WrapWithModules(argv, {}, "/init/bash"), argv);
  auto wrapped = WrapWithModules(argv, {"gcc/12", "python"}, "/init/bash");
  ASSERT_GE(wrapped.size(), 12u);
  EXPECT_EQ(wrapped[0], "/bin/bash");
  std::vector<std::string> tail(wrapped.begin() + 6, wrapped.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"/init/bash", "2", "gcc/12", "python", "/tmp/job.sh",
                                            "a b"}));
}

TEST(ModulesTest, TheLoaderRunsTheScriptWithTheModulesLoaded) {
  // A stand-in for Lmod's init: `module load` records what it was asked and exports X.
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("init"),
                              "module() { shift; [ \"$1\" = bad ] && return 1; "
                              "export LOADED=\"$*\"; }\n"));
  ASSERT_TRUE(
      WriteFileAtomic(dir.File("job.sh"), "#!/bin/sh\necho \"$LOADED|$1\" > \"$2\"\n", 0755));
  auto run = [&](std::vector<std::string> modules) {
    auto argv =
        WrapWithModules({dir.File("job.sh"), "arg", dir.File("out")}, modules, dir.File("init"));
    std::string command;
    for (const std::string& word : argv) {
      std::string quoted = "'";
      for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      command += quoted + "' ";
    }
    return std::system((command + "2>/dev/null").c_str());
  };
  ASSERT_EQ(run({"gcc/12", "python"}), 0);
  EXPECT_EQ(ReadFile(dir.File("out")).value_or(""), "gcc/12 python|arg\n");
  EXPECT_NE(run({"bad"}), 0);
}


TEST(ModulesTest, OnlyAnAgentWithLmodAndAModulepathGivesJobsTheModuleCommand) {
  std::vector<std::string> env = {"PATH=/bin", "BASH_ENV=/home/u/.bashenv", "MODULEPATH=/x"};
  AddModuleEnvironment(env, "", "/opt/modules");
  EXPECT_EQ(env.size(), 3u) << "no Lmod: the job's environment is untouched";
  AddModuleEnvironment(env, "/usr/share/lmod/lmod/init/bash", "");
  EXPECT_EQ(env.size(), 3u) << "no MODULEPATH: nothing to load, and no init sourced per job";
  AddModuleEnvironment(env, "/usr/share/lmod/lmod/init/bash", "/opt/modules");
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/bin", "BASH_ENV=/usr/share/lmod/lmod/init/bash",
                                           "MODULEPATH=/opt/modules"}));
}

}  // namespace
}  // namespace gantry::agent
