#include "agent/resource_ad.h"

#include <cctype>

#include "agent/modules.h"
#include "classad/parser.h"
#include "classad/unparse.h"
#include "submit/modules.h"

namespace gantry::agent {
namespace {

// {"a", "b"}: the names are checked first, so nothing needs quoting.
std::string StringList(const std::vector<std::string>& names) {
  std::string out = "{";
  for (const std::string& name : names) out += (out.size() > 1 ? ", \"" : "\"") + name + "\"";
  return out + "}";
}

}  // namespace

Status CheckFeatureName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 128;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                c == ':' || c == '+' || c == '=');
  }
  if (ok) return {};
  return Fail(InvalidArgument("bad name '" + name +
                              "' (letters, digits and _ - . : + =, as -C/--constraint writes "
                              "features)"));
}

Result<std::string> BuildResourceAd(const AdFacts& f, const std::string& extra) {
  classad::ClassAd ad;
  ad.InsertString("Name", f.name);
  ad.InsertString("Machine", f.hostname);
  // HTCondor's spellings: Arch "X86_64", OpSys "LINUX".
  std::string arch = f.machine;
  for (char& c : arch) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  ad.InsertString("Arch", arch);
  ad.InsertString("OpSys", "LINUX");
  ad.InsertString("Site", f.site);
  ad.InsertInteger("Cpus", f.total.cores);
  ad.InsertInteger("Memory", f.total.memory_mb);
  ad.InsertInteger("Gpus", static_cast<int64_t>(f.total.gpus.size()));
  for (const std::string& name : f.partitions) GANTRY_RETURN_IF_ERROR(CheckFeatureName(name));
  for (const std::string& name : f.features) GANTRY_RETURN_IF_ERROR(CheckFeatureName(name));
  if (!f.partitions.empty()) {
    GANTRY_RETURN_IF_ERROR(classad::InsertParsed(ad, "Partitions", StringList(f.partitions)));
  }
  GANTRY_RETURN_IF_ERROR(classad::InsertParsed(ad, "Features", StringList(f.features)));
  std::vector<std::string> modules;
  for (const std::string& m : f.modules) {
    if (submit::CheckModuleName(m)) modules.push_back(m);
  }
  GANTRY_RETURN_IF_ERROR(classad::InsertParsed(ad, "Modules", StringList(modules)));
  GANTRY_RETURN_IF_ERROR(
      classad::InsertParsed(ad, "ModuleNames", StringList(ModuleBaseNames(modules))));
  if (!extra.empty()) {
    auto custom = classad::ParseClassAdAnyFormat(extra);
    if (!custom) return Fail(custom.error().Wrap("agent ad file"));
    for (const auto& attribute : custom->attributes()) {
      GANTRY_RETURN_IF_ERROR(
          classad::InsertParsed(ad, attribute.name, classad::Unparse(*attribute.expr)));
    }
  }
  return classad::UnparseClassAd(ad);
}

}  // namespace gantry::agent
