// --modules (issue 16 section 3): Lmod modules a job needs, "gcc/12,python". The job then
// runs only on an agent that advertises them (a Requirements clause per module) and the agent
// loads them before the script starts (the RequestModules attribute). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::submit {

// The job attribute the agent reads: RequestModules = {"gcc/12", "python"}.
inline constexpr std::string_view kRequestModulesAttribute = "RequestModules";

struct ModuleRequest {
  std::vector<std::string> modules;  // as written, in order, duplicates dropped
  std::string attribute;             // {"gcc/12", "python"}
  // member("gcc/12", TARGET.Modules) && member("python", TARGET.ModuleNames): a name with a
  // version needs exactly that version; a bare name any version (its default is loaded).
  std::string requirements;
};

// A module name: letters, digits and _ - . + / (not starting or ending with '/', no '//').
Status CheckModuleName(std::string_view name);
// "gcc/12,python" (commas or blanks between names). Errors name the bad module.
Result<ModuleRequest> ParseModuleList(std::string_view text);

}  // namespace gantry::submit
