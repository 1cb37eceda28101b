// Lmod environment modules on an agent's node (issue 16 section 3): the modulefiles found
// under the agent's MODULEPATH are advertised in its ad (Modules = {"gcc/12", ...},
// ModuleNames = {"gcc", ...}); a job that asks for modules (RequestModules, from --modules)
// gets them loaded before its script runs; every job gets BASH_ENV pointing at Lmod's bash
// init so that `module load` works inside a bash script. Naming is pure; the scan reads
// directories.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::agent {

// Module names from the paths of files under one MODULEPATH directory, relative to it:
// "gcc/12.lua" -> "gcc/12", "python/3.11" (a Tcl modulefile) -> "python/3.11". Hidden files
// and directories (".version", ".modulerc"), "default" links and editor backups ("~") are
// not modules. Sorted, without duplicates.
std::vector<std::string> ModuleNamesOf(const std::vector<std::string>& relative_paths);
// The part of each module name before its first '/': "gcc" of "gcc/12". Sorted, unique.
std::vector<std::string> ModuleBaseNames(const std::vector<std::string>& modules);

// The modules under every directory of modulepath (':'-separated; missing ones skipped),
// scanned three levels deep. Sorted, unique.
std::vector<std::string> FindModules(std::string_view modulepath);

// Lmod's bash init script: lmod_pkg + "/init/bash" if lmod_pkg is set and it exists, else
// the Debian package's /usr/share/lmod/lmod/init/bash, else "" (no Lmod here).
std::string FindLmodInit(std::string_view lmod_pkg);

// The modules a job asks for: its RequestModules attribute (a ClassAd list of strings), or
// none. A malformed attribute is an error naming it.
Result<std::vector<std::string>> RequestedModules(std::string_view attribute_text);

// argv that loads modules with Lmod (init: FindLmodInit's path) and then execs argv, so the
// script starts with their environment; a module that cannot be loaded ends the job with
// exit 1 and Lmod's message on stderr. argv itself when modules is empty.
std::vector<std::string> WrapWithModules(const std::vector<std::string>& argv,
                                         const std::vector<std::string>& modules,
                                         const std::string& init);

// On an agent with Lmod (init non-empty): BASH_ENV=init, so that a bash script has the
// `module` command, and MODULEPATH=modulepath (the node's modules, whatever the submitter's
// was). Replaces what env carried; nothing without Lmod or without a MODULEPATH (no modules
// to load, and sourcing Lmod's init would cost every bash job).
void AddModuleEnvironment(std::vector<std::string>& env, const std::string& init,
                          const std::string& modulepath);

}  // namespace gantry::agent
